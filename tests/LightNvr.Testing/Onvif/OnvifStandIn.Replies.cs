using System.Globalization;
using System.Xml.Linq;

namespace LightNvr.Testing.Onvif;

/// <summary>The stand-in's replies: the WSDLs' response elements, with the values a two-profile camera would give.</summary>
public sealed partial class OnvifStandIn
{
    private const string Namespaces =
        " xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:tt=\"http://www.onvif.org/ver10/schema\"" +
        " xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\" xmlns:trt=\"http://www.onvif.org/ver10/media/wsdl\" xmlns:tr2=\"http://www.onvif.org/ver20/media/wsdl\"" +
        " xmlns:tptz=\"http://www.onvif.org/ver20/ptz/wsdl\" xmlns:timg=\"http://www.onvif.org/ver20/imaging/wsdl\" xmlns:tev=\"http://www.onvif.org/ver10/events/wsdl\"" +
        " xmlns:wsnt=\"http://docs.oasis-open.org/wsn/b-2\" xmlns:wsa5=\"http://www.w3.org/2005/08/addressing\"" +
        " xmlns:tns1=\"http://www.onvif.org/ver10/topics\" xmlns:ter=\"http://www.onvif.org/ver10/error\"";

    private static string Envelope(string body) => $"<env:Envelope{Namespaces}><env:Body>{body}</env:Body></env:Envelope>";

    private static string Fault(string code, string subcode, string reason) => Envelope(FaultBody(code, subcode, reason));

    /// <summary>A fault as a body (an operation's reply that refuses its arguments, e.g. ter:InvalidArgVal/ter:NoToken).</summary>
    private static string FaultBody(string code, string subcode, string reason) => (
        $"<env:Fault><env:Code><env:Value>{code}</env:Value><env:Subcode><env:Value>{subcode}</env:Value></env:Subcode></env:Code>" +
        $"<env:Reason><env:Text xml:lang=\"en\">{reason}</env:Text></env:Reason></env:Fault>");

    private string Service(string path) => $"http://{BindAddress}:{Port}/onvif/{path}";

    private (int Status, string Xml) Reply(XElement body)
    {
        string? Arg(string name) => body.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
        var xml = Media2Reply(body, Arg) ?? body.Name.LocalName switch
        {
            "GetSystemDateAndTime" => SystemDateAndTime(),
            "GetCapabilities" => "<tds:GetCapabilitiesResponse><tds:Capabilities>" +
                $"<tt:Device><tt:XAddr>{Service("device_service")}</tt:XAddr></tt:Device>" +
                $"<tt:Events><tt:XAddr>{Service("events")}</tt:XAddr><tt:WSSubscriptionPolicySupport>false</tt:WSSubscriptionPolicySupport><tt:WSPullPointSupport>{(PullPointSupport ? "true" : "false")}</tt:WSPullPointSupport></tt:Events>" +
                (HasImaging ? $"<tt:Imaging><tt:XAddr>{Service("imaging")}</tt:XAddr></tt:Imaging>" : "") +
                $"<tt:Media><tt:XAddr>{Service("media")}</tt:XAddr></tt:Media>" +
                (HasPtz ? $"<tt:PTZ><tt:XAddr>{Service("ptz")}</tt:XAddr></tt:PTZ>" : "") +
                "</tds:Capabilities></tds:GetCapabilitiesResponse>",
            "GetServices" when !GetServicesSupported => null,
            "GetServices" => "<tds:GetServicesResponse>" +
                $"<tds:Service><tds:Namespace>http://www.onvif.org/ver10/device/wsdl</tds:Namespace><tds:XAddr>{Service("device_service")}</tds:XAddr><tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>" +
                $"<tds:Service><tds:Namespace>http://www.onvif.org/ver10/media/wsdl</tds:Namespace><tds:XAddr>{Service("media")}</tds:XAddr><tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>" +
                $"<tds:Service><tds:Namespace>http://www.onvif.org/ver10/events/wsdl</tds:Namespace><tds:XAddr>{Service("events")}</tds:XAddr><tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>" +
                (Media2 ? $"<tds:Service><tds:Namespace>{Media2Namespace}</tds:Namespace><tds:XAddr>{Service("media2")}</tds:XAddr><tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>" : "") +
                (HasPtz ? $"<tds:Service><tds:Namespace>http://www.onvif.org/ver20/ptz/wsdl</tds:Namespace><tds:XAddr>{Service("ptz")}</tds:XAddr><tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>" : "") +
                (HasImaging ? $"<tds:Service><tds:Namespace>http://www.onvif.org/ver20/imaging/wsdl</tds:Namespace><tds:XAddr>{Service("imaging")}</tds:XAddr><tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>" : "") +
                "</tds:GetServicesResponse>",
            "GetDeviceInformation" => "<tds:GetDeviceInformationResponse><tds:Manufacturer>LightNVR tests</tds:Manufacturer>" +
                "<tds:Model>ONVIF stand-in</tds:Model><tds:FirmwareVersion>1.0</tds:FirmwareVersion><tds:SerialNumber>SI-0001</tds:SerialNumber>" +
                "<tds:HardwareId>stand-in</tds:HardwareId></tds:GetDeviceInformationResponse>",
            "GetScopes" => "<tds:GetScopesResponse>" + string.Concat(Scopes.Select(s =>
                $"<tds:Scopes><tt:ScopeDef>Fixed</tt:ScopeDef><tt:ScopeItem>{s}</tt:ScopeItem></tds:Scopes>")) + "</tds:GetScopesResponse>",
            "GetHostname" => "<tds:GetHostnameResponse><tds:HostnameInformation><tt:FromDHCP>false</tt:FromDHCP><tt:Name>stand-in</tt:Name></tds:HostnameInformation></tds:GetHostnameResponse>",
            "GetProfiles" => "<trt:GetProfilesResponse>" + Profile("main", "MainStream", 1920, 1080, 25, 4096, encoder: !Media2) +
                Profile("sub", "SubStream", 640, 360, 10, 512) + "</trt:GetProfilesResponse>",
            // Media §5.2.2 GetProfile: one profile by token (libonvif's onvif-util reads profiles this way).
            "GetProfile" => Arg("ProfileToken") switch
            {
                "main" => "<trt:GetProfileResponse>" + Profile("main", "MainStream", 1920, 1080, 25, 4096, encoder: !Media2, element: "Profile") + "</trt:GetProfileResponse>",
                "sub" => "<trt:GetProfileResponse>" + Profile("sub", "SubStream", 640, 360, 10, 512, element: "Profile") + "</trt:GetProfileResponse>",
                _ => FaultBody("env:Sender", "ter:InvalidArgVal", "No such profile token"),
            },
            "GetVideoSources" => "<trt:GetVideoSourcesResponse><trt:VideoSources token=\"vs0\"><tt:Framerate>25</tt:Framerate>" +
                "<tt:Resolution><tt:Width>1920</tt:Width><tt:Height>1080</tt:Height></tt:Resolution></trt:VideoSources></trt:GetVideoSourcesResponse>",
            "GetStreamUri" => MediaUri("GetStreamUriResponse", Arg("ProfileToken") == "sub" ? SubUri : MainUri),
            "GetSnapshotUri" => MediaUri("GetSnapshotUriResponse", Service("snapshot.jpg")),
            _ => PtzReply(body, Arg) ?? ImagingReply(body, Arg) ?? EventReply(body, Arg),
        };
        return xml is null
            ? (400, Fault("env:Receiver", "ter:ActionNotSupported", $"{body.Name.LocalName} is not supported by the stand-in"))
            : xml.StartsWith("<env:Fault>", StringComparison.Ordinal) ? (400, Envelope(xml)) : (200, Envelope(xml));
    }

    /// <summary>The WS-Discovery scopes (ONVIF Core §7.3.2.2) the stand-in announces.</summary>
    public static readonly string[] Scopes =
    [
        "onvif://www.onvif.org/type/video_encoder", "onvif://www.onvif.org/Profile/Streaming",
        "onvif://www.onvif.org/name/StandIn", "onvif://www.onvif.org/hardware/ONVIF-stand-in",
    ];

    private string SystemDateAndTime()
    {
        var now = Now;
        return "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>Manual</tt:DateTimeType>" +
            "<tt:DaylightSavings>false</tt:DaylightSavings><tt:TimeZone><tt:TZ>UTC0</tt:TZ></tt:TimeZone><tt:UTCDateTime>" +
            $"<tt:Time><tt:Hour>{now.Hour}</tt:Hour><tt:Minute>{now.Minute}</tt:Minute><tt:Second>{now.Second}</tt:Second></tt:Time>" +
            $"<tt:Date><tt:Year>{now.Year}</tt:Year><tt:Month>{now.Month}</tt:Month><tt:Day>{now.Day}</tt:Day></tt:Date>" +
            "</tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>";
    }

    /// <summary>A Media 1 profile; <paramref name="encoder"/> false: no encoder configuration (an H.265 stream Media 1 cannot describe).</summary>
    private static string Profile(string token, string name, int width, int height, int fps, int kbps, bool encoder = true, string element = "Profiles") =>
        $"<trt:{element} token=\"{token}\" fixed=\"true\"><tt:Name>{name}</tt:Name>" +
        "<tt:VideoSourceConfiguration token=\"vsc0\"><tt:Name>vsc0</tt:Name><tt:UseCount>2</tt:UseCount><tt:SourceToken>vs0</tt:SourceToken>" +
        "<tt:Bounds x=\"0\" y=\"0\" width=\"1920\" height=\"1080\"/></tt:VideoSourceConfiguration>" +
        (!encoder ? "" : $"<tt:VideoEncoderConfiguration token=\"vec_{token}\"><tt:Name>vec_{token}</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding>" +
        $"<tt:Resolution><tt:Width>{width}</tt:Width><tt:Height>{height}</tt:Height></tt:Resolution><tt:Quality>5</tt:Quality>" +
        $"<tt:RateControl><tt:FrameRateLimit>{fps}</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>{kbps}</tt:BitrateLimit></tt:RateControl>" +
        "<tt:SessionTimeout>PT60S</tt:SessionTimeout></tt:VideoEncoderConfiguration>") +
        "<tt:PTZConfiguration token=\"ptz0\"><tt:Name>ptz0</tt:Name><tt:UseCount>2</tt:UseCount><tt:NodeToken>node0</tt:NodeToken></tt:PTZConfiguration>" +
        $"</trt:{element}>";

    private static string MediaUri(string response, string uri) =>
        $"<trt:{response}><trt:MediaUri><tt:Uri>{System.Security.SecurityElement.Escape(uri)}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>" +
        $"<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:{response}>";

    private static string Number(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
