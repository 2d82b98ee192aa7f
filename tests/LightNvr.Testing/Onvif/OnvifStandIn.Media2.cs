using System.Xml.Linq;

namespace LightNvr.Testing.Onvif;

/// <summary>
/// Media2 (ONVIF Media2 Service Specification, media2.wsdl, <c>ver20/media/wsdl</c>), offered when <see cref="Media2"/>
/// is set: listed in GetServices only (GetCapabilities has no Media2 member), GetProfiles with Type filters
/// (configurations only when asked for), GetStreamUri/GetSnapshotUri by Protocol. The main profile encodes H.265, as
/// a camera set to H.265 reports it through Media2 (Media 1's tt:VideoEncoding has no H265, so its Media 1 profile
/// carries no encoder configuration).
/// </summary>
public sealed partial class OnvifStandIn
{
    public const string Media2Namespace = "http://www.onvif.org/ver20/media/wsdl";

    /// <summary>True: the stand-in offers Media2 beside Media 1, with an H.265 main profile.</summary>
    public bool Media2 { get; init; }

    /// <summary>The Protocol of the last Media2 GetStreamUri (RTSP expected).</summary>
    public string? LastMedia2Protocol { get; private set; }

    /// <summary>Media2 operations answered, in order.</summary>
    public List<string> Media2Operations { get; } = [];

    /// <summary>False: GetServices faults as unsupported (an ONVIF 1.x camera), so a client must use GetCapabilities.</summary>
    public bool GetServicesSupported { get; set; } = true;

    private string? Media2Reply(XElement body, Func<string, string?> arg)
    {
        if (!Media2 || body.Name.NamespaceName != Media2Namespace)
        {
            return null;
        }
        lock (_lock)
        {
            Media2Operations.Add(body.Name.LocalName);
        }
        switch (body.Name.LocalName)
        {
            case "GetProfiles":
                var types = body.Elements().Where(e => e.Name.LocalName == "Type").Select(e => e.Value.Trim()).ToList();
                var configurations = types.Contains("All") || types.Contains("VideoEncoder");
                var only = arg("Token");
                return "<tr2:GetProfilesResponse>" +
                    (only is null or "main" ? Media2Profile("main", "MainStream", "H265", 1920, 1080, 25, 4096, configurations) : "") +
                    (only is null or "sub" ? Media2Profile("sub", "SubStream", "H264", 640, 360, 10, 512, configurations) : "") +
                    "</tr2:GetProfilesResponse>";
            case "GetStreamUri":
                LastMedia2Protocol = arg("Protocol");
                return $"<tr2:GetStreamUriResponse><tr2:Uri>{System.Security.SecurityElement.Escape(arg("ProfileToken") == "sub" ? SubUri : MainUri)}</tr2:Uri></tr2:GetStreamUriResponse>";
            case "GetSnapshotUri":
                return $"<tr2:GetSnapshotUriResponse><tr2:Uri>{Service("snapshot.jpg")}</tr2:Uri></tr2:GetSnapshotUriResponse>";
            default:
                return null;
        }
    }

    private static string Media2Profile(string token, string name, string encoding, int width, int height, int fps, int kbps, bool configurations) =>
        $"<tr2:Profiles token=\"{token}\" fixed=\"true\"><tr2:Name>{name}</tr2:Name>" +
        (configurations
            ? "<tr2:Configurations>" +
              "<tr2:VideoSource token=\"vsc0\"><tt:Name>vsc0</tt:Name><tt:UseCount>2</tt:UseCount><tt:SourceToken>vs0</tt:SourceToken>" +
              "<tt:Bounds x=\"0\" y=\"0\" width=\"1920\" height=\"1080\"/></tr2:VideoSource>" +
              $"<tr2:VideoEncoder token=\"vec_{token}\" GovLength=\"{fps}\" Profile=\"Main\"><tt:Name>vec_{token}</tt:Name><tt:UseCount>1</tt:UseCount>" +
              $"<tt:Encoding>{encoding}</tt:Encoding><tt:Resolution><tt:Width>{width}</tt:Width><tt:Height>{height}</tt:Height></tt:Resolution>" +
              $"<tt:RateControl ConstantBitRate=\"false\"><tt:FrameRateLimit>{fps}</tt:FrameRateLimit><tt:BitrateLimit>{kbps}</tt:BitrateLimit></tt:RateControl>" +
              "<tt:Quality>5</tt:Quality></tr2:VideoEncoder>" +
              "<tr2:PTZ token=\"ptz0\"><tt:Name>ptz0</tt:Name><tt:UseCount>2</tt:UseCount><tt:NodeToken>node0</tt:NodeToken></tr2:PTZ>" +
              "</tr2:Configurations>"
            : "") +
        "</tr2:Profiles>";
}
