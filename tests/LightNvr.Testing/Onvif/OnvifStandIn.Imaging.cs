using System.Globalization;
using System.Xml.Linq;

namespace LightNvr.Testing.Onvif;

/// <summary>
/// The stand-in's Imaging service (ONVIF imaging.wsdl, <c>ver20/imaging/wsdl</c>) for video source <c>vs0</c>:
/// settings it keeps, the options (ranges and modes) it reports, and SetImagingSettings refused with
/// <c>ter:InvalidArgVal/ter:SettingsInvalid</c> when a value is outside them, as ONVIF Imaging §5.1.2 requires.
/// </summary>
public sealed partial class OnvifStandIn
{
    /// <summary>The ranges the stand-in reports for brightness, saturation, contrast and sharpness (a real camera's 0–100).</summary>
    public const double ImagingMin = 0, ImagingMax = 100;

    private readonly Dictionary<string, double> _imaging = new(StringComparer.Ordinal)
    {
        ["Brightness"] = 50, ["ColorSaturation"] = 50, ["Contrast"] = 50, ["Sharpness"] = 50,
    };

    private string _irCutFilter = "AUTO";
    private string _backlight = "OFF";
    private string _wdr = "OFF";

    /// <summary>False: the camera has no Imaging service.</summary>
    public bool HasImaging { get; set; } = true;

    /// <summary>The current IrCutFilter mode (ON = day, OFF = night, AUTO).</summary>
    public string IrCutFilter { get { lock (_lock) { return _irCutFilter; } } }

    /// <summary>The current value of an imaging setting (Brightness, ColorSaturation, Contrast, Sharpness).</summary>
    public double Imaging(string setting)
    {
        lock (_lock)
        {
            return _imaging[setting];
        }
    }

    private string? ImagingReply(XElement body, Func<string, string?> arg)
    {
        if (!HasImaging)
        {
            return null;
        }
        lock (_lock)
        {
            switch (body.Name.LocalName)
            {
                case "GetImagingSettings":
                    if (arg("VideoSourceToken") != "vs0")
                    {
                        return FaultBody("env:Sender", "ter:InvalidArgVal", "No such video source");
                    }
                    return "<timg:GetImagingSettingsResponse><timg:ImagingSettings>" +
                        $"<tt:BacklightCompensation><tt:Mode>{_backlight}</tt:Mode></tt:BacklightCompensation>" +
                        string.Concat(new[] { "Brightness", "ColorSaturation", "Contrast" }.Select(k => $"<tt:{k}>{Number(_imaging[k])}</tt:{k}>")) +
                        $"<tt:IrCutFilter>{_irCutFilter}</tt:IrCutFilter><tt:Sharpness>{Number(_imaging["Sharpness"])}</tt:Sharpness>" +
                        $"<tt:WideDynamicRange><tt:Mode>{_wdr}</tt:Mode></tt:WideDynamicRange>" +
                        "</timg:ImagingSettings></timg:GetImagingSettingsResponse>";
                case "GetOptions":
                    string Range(string k) => $"<tt:{k}><tt:Min>{Number(ImagingMin)}</tt:Min><tt:Max>{Number(ImagingMax)}</tt:Max></tt:{k}>";
                    return "<timg:GetOptionsResponse><timg:ImagingOptions>" +
                        "<tt:BacklightCompensation><tt:Mode>OFF</tt:Mode><tt:Mode>ON</tt:Mode></tt:BacklightCompensation>" +
                        Range("Brightness") + Range("ColorSaturation") + Range("Contrast") +
                        "<tt:IrCutFilterModes>ON</tt:IrCutFilterModes><tt:IrCutFilterModes>OFF</tt:IrCutFilterModes><tt:IrCutFilterModes>AUTO</tt:IrCutFilterModes>" +
                        Range("Sharpness") +
                        "<tt:WideDynamicRange><tt:Mode>OFF</tt:Mode><tt:Mode>ON</tt:Mode></tt:WideDynamicRange>" +
                        "</timg:ImagingOptions></timg:GetOptionsResponse>";
                case "SetImagingSettings":
                    var settings = body.Elements().FirstOrDefault(e => e.Name.LocalName == "ImagingSettings");
                    string? Child(string name) => settings?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value.Trim();
                    var values = new Dictionary<string, double>(StringComparer.Ordinal);
                    foreach (var key in _imaging.Keys)
                    {
                        if (Child(key) is { } text)
                        {
                            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v < ImagingMin || v > ImagingMax)
                            {
                                return FaultBody("env:Sender", "ter:InvalidArgVal", $"{key} out of range");
                            }
                            values[key] = v;
                        }
                    }
                    var ir = Child("IrCutFilter");
                    if (ir is not null && ir is not ("ON" or "OFF" or "AUTO"))
                    {
                        return FaultBody("env:Sender", "ter:InvalidArgVal", "IrCutFilter mode not supported");
                    }
                    foreach (var (k, v) in values)
                    {
                        _imaging[k] = v;
                    }
                    _irCutFilter = ir ?? _irCutFilter;
                    _backlight = settings?.Descendants().FirstOrDefault(e => e.Name.LocalName == "Mode" && e.Parent?.Name.LocalName == "BacklightCompensation")?.Value ?? _backlight;
                    _wdr = settings?.Descendants().FirstOrDefault(e => e.Name.LocalName == "Mode" && e.Parent?.Name.LocalName == "WideDynamicRange")?.Value ?? _wdr;
                    return "<timg:SetImagingSettingsResponse/>";
                default:
                    return null;
            }
        }
    }
}
