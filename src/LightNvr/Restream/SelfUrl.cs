using System.Net;
using System.Net.NetworkInformation;
using LightNvr.Config;
using LightNvr.Media.Rtsp;

namespace LightNvr.Restream;

/// <summary>
/// Recognises a stream URL that points at our own RTSP server: <c>rtsp://127.0.0.1:&lt;rtsp_port&gt;/&lt;name&gt;</c>
/// (or localhost, the bind address, any address of this host). Such a stream with its own name is a publish target:
/// reading it with the RTSP client would be the server asking itself for a stream only it could provide (a loop that
/// never gets a frame), so its source is the <see cref="PublishPoint"/> instead.
/// </summary>
public static class SelfUrl
{
    /// <summary>The URL a publisher (and the demo camera) uses for a stream: what a publish-mode stream's url is.</summary>
    public static string For(Go2rtcOptions go2rtc, string streamName) =>
        $"rtsp://127.0.0.1:{go2rtc.RtspPort}/{Uri.EscapeDataString(streamName)}";

    /// <summary>True when <paramref name="url"/> names <paramref name="streamName"/> on our own RTSP server.</summary>
    public static bool IsPublishUrl(string url, string streamName, Go2rtcOptions go2rtc, WebOptions web)
    {
        if (go2rtc.RtspPort == 0 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) ||
            !string.Equals(uri.Scheme, "rtsp", StringComparison.OrdinalIgnoreCase) ||
            RtspUrl.GetPort(uri) != go2rtc.RtspPort)
        {
            return false;
        }

        string path;
        try
        {
            path = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        }
        catch (UriFormatException)
        {
            return false;
        }

        return path == streamName && IsOurHost(uri, web.BindIp);
    }

    private static bool IsOurHost(Uri uri, string bindIp)
    {
        if (uri.IsLoopback)
        {
            return true;
        }

        if (!IPAddress.TryParse(uri.DnsSafeHost, out var address))
        {
            return false;
        }

        if (IPAddress.TryParse(bindIp, out var bind) && bind.Equals(address))
        {
            return true;
        }

        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(i => i.GetIPProperties().UnicastAddresses)
                .Any(a => a.Address.Equals(address));
        }
        catch (NetworkInformationException)
        {
            return false;
        }
    }
}
