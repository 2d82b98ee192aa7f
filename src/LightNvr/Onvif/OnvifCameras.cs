using LightNvr.Data;

namespace LightNvr.Onvif;

/// <summary>
/// What the API does with one camera: list its profiles, test its credentials, add it as a stream. The stream gets
/// the chosen profile's RTSP URI as <c>url</c> and the first other, smaller profile as <c>sub_stream_url</c> (live
/// grid tiles and detection use it), <c>isOnvif</c>, the profile token, the device port and the ONVIF credentials
/// in <c>onvif_username</c>/<c>onvif_password</c> as upstream stores them; the RTSP URLs carry the same credentials
/// in their user info, since the RTSP client reads them from there.
/// </summary>
public sealed class OnvifCameras(OnvifSoapClient client, TimeProvider time, StreamChanges changes)
{
    public async Task<IReadOnlyList<OnvifProfile>> GetProfilesAsync(Uri deviceUrl, OnvifCredentials? credentials, CancellationToken cancellationToken)
    {
        var device = await OnvifDevice.ConnectAsync(client, time, deviceUrl, credentials, cancellationToken).ConfigureAwait(false);
        return await device.GetProfilesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Connects and reads the device information: the first call that needs the password.</summary>
    public async Task<OnvifDeviceInformation> TestAsync(Uri deviceUrl, OnvifCredentials? credentials, CancellationToken cancellationToken)
    {
        var device = await OnvifDevice.ConnectAsync(client, time, deviceUrl, credentials, cancellationToken).ConfigureAwait(false);
        return await device.GetDeviceInformationAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds the stream; null profile result when <paramref name="profileToken"/> is not one of the camera's.</summary>
    public async Task<(StreamChangeResult? Result, StreamConfig? Stream)> AddAsync(Uri deviceUrl, string profileToken, string streamName,
        OnvifCredentials? credentials, CancellationToken cancellationToken)
    {
        var profiles = await GetProfilesAsync(deviceUrl, credentials, cancellationToken).ConfigureAwait(false);
        var main = profiles.FirstOrDefault(p => p.Token == profileToken);
        if (main?.StreamUri is null)
        {
            return (null, null);
        }
        var sub = profiles.FirstOrDefault(p => p != main && p.StreamUri is not null && p.Width * p.Height < main.Width * main.Height);
        var stream = new StreamConfig
        {
            Name = streamName,
            Url = WithCredentials(main.StreamUri, credentials),
            SubStreamUrl = sub?.StreamUri is null ? "" : WithCredentials(sub.StreamUri, credentials),
            Width = main.Width,
            Height = main.Height,
            Fps = main.Fps,
            Codec = main.Encoding?.ToLowerInvariant() switch { "h264" => "h264", "h265" or "hevc" => "h265", _ => "" },
            IsOnvif = true,
            OnvifUsername = credentials?.Username ?? "",
            OnvifPassword = credentials?.Password ?? "",
            OnvifProfile = main.Token,
            OnvifPort = deviceUrl.Port,
        };
        return (await changes.AddAsync(stream, cancellationToken).ConfigureAwait(false), stream);
    }

    /// <summary>The RTSP URI with the credentials as percent-encoded user info (replacing any the camera put there).</summary>
    public static string WithCredentials(string uri, OnvifCredentials? credentials)
    {
        if (credentials is null || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            return uri;
        }
        var builder = new UriBuilder(parsed)
        {
            UserName = Uri.EscapeDataString(credentials.Username),
            Password = Uri.EscapeDataString(credentials.Password),
        };
        return builder.Uri.AbsoluteUri;
    }
}
