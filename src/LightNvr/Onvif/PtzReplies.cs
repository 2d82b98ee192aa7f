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

    /// <summary>SetPreset: the new preset's token.</summary>
    public static string PresetToken(XElement body) =>
        OnvifXml.Expect(body, "SetPresetResponse").Child("PresetToken").Text()
            ?? throw new OnvifException(OnvifErrorKind.BadReply, "the camera's SetPreset reply holds no token");
}
