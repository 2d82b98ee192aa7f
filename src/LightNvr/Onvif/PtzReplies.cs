using System.Xml.Linq;

namespace LightNvr.Onvif;

/// <summary>Parsers for PTZ replies (ONVIF ptz.wsdl, <c>ver20/ptz/wsdl</c>). Moves answer an empty response.</summary>
public static class PtzReplies
{
    public const string Namespace = "http://www.onvif.org/ver20/ptz/wsdl";

    /// <summary>Most presets read (ONVIF lets a camera define up to its MaximumNumberOfPresets; 256 covers real ones).</summary>
    public const int MaxPresets = 256;

    public static IReadOnlyList<PtzPreset> Presets(XElement body) =>
        OnvifXml.Expect(body, "GetPresetsResponse").Children("Preset").Take(MaxPresets)
            .Select(p => new PtzPreset(p.Attr("token") ?? "", p.Child("Name").Text() ?? p.Attr("token") ?? ""))
            .Where(p => p.Token.Length > 0).ToList();

    /// <summary>GetStatus: position (generic spaces, −1..1 and 0..1) and move status.</summary>
    public static PtzStatus Status(XElement body)
    {
        var status = OnvifXml.Expect(body, "GetStatusResponse").Child("PTZStatus");
        var panTilt = status.Path("Position", "PanTilt");
        var zoom = status.Path("Position", "Zoom");
        return new PtzStatus(OnvifXml.Number(panTilt.Attr("x")), OnvifXml.Number(panTilt.Attr("y")), OnvifXml.Number(zoom.Attr("x")),
            status.Path("MoveStatus", "PanTilt").Text() ?? status.Child("MoveStatus").Text());
    }

    /// <summary>GetNodes: the first node's spaces (cameras with PTZ have one node per head; the profile's is the first here).</summary>
    public static PtzNode Node(XElement body)
    {
        var node = OnvifXml.Expect(body, "GetNodesResponse").Child("PTZNode")
            ?? throw new OnvifException(OnvifErrorKind.NotSupported, "not supported by this camera: it reports no PTZ node");
        var spaces = node.Child("SupportedPTZSpaces");
        bool Has(string space) => spaces.Child(space) is not null;
        PtzRange Range(string space, string axis, PtzRange fallback)
        {
            var range = spaces.Child(space).Child(axis);
            return range.Child("Min").Double() is double min && range.Child("Max").Double() is double max && min <= max
                ? new PtzRange(min, max) : fallback;
        }
        var panTilt = Has("AbsolutePanTiltPositionSpace") || Has("ContinuousPanTiltVelocitySpace") || Has("RelativePanTiltTranslationSpace");
        var zoom = Has("AbsoluteZoomPositionSpace") || Has("ContinuousZoomVelocitySpace") || Has("RelativeZoomTranslationSpace");
        return new PtzNode(panTilt, zoom,
            Has("ContinuousPanTiltVelocitySpace") || Has("ContinuousZoomVelocitySpace"),
            Has("AbsolutePanTiltPositionSpace") || Has("AbsoluteZoomPositionSpace"),
            Has("RelativePanTiltTranslationSpace") || Has("RelativeZoomTranslationSpace"),
            node.Child("HomeSupported").Bool() ?? false,
            Math.Max(node.Child("MaximumNumberOfPresets").Int() ?? 0, 0),
            Range("AbsolutePanTiltPositionSpace", "XRange", PtzRange.Generic),
            Range("AbsolutePanTiltPositionSpace", "YRange", PtzRange.Generic),
            Range("AbsoluteZoomPositionSpace", "XRange", PtzRange.GenericZoom))
        {
            PanVelocity = Range("ContinuousPanTiltVelocitySpace", "XRange", PtzRange.Generic),
            TiltVelocity = Range("ContinuousPanTiltVelocitySpace", "YRange", PtzRange.Generic),
            ZoomVelocity = Range("ContinuousZoomVelocitySpace", "XRange", PtzRange.Generic),
            PanTiltSpeed = Has("PanTiltSpeedSpace") ? Range("PanTiltSpeedSpace", "XRange", PtzRange.GenericZoom) : null,
            ZoomSpeed = Has("ZoomSpeedSpace") ? Range("ZoomSpeedSpace", "XRange", PtzRange.GenericZoom) : null,
        };
    }

    /// <summary>SetPreset: the new preset's token.</summary>
    public static string PresetToken(XElement body) =>
        OnvifXml.Expect(body, "SetPresetResponse").Child("PresetToken").Text()
            ?? throw new OnvifException(OnvifErrorKind.BadReply, "the camera's SetPreset reply holds no token");
}
