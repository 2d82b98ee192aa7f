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
    private static XElement? ChildOf(XElement? parent, string name) => parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    /// <summary>The ranges the stand-in reports for brightness, saturation, contrast and sharpness (a real camera's 0–100).</summary>
    public const double ImagingMin = 0, ImagingMax = 100;

    private readonly Dictionary<string, double> _imaging = new(StringComparer.Ordinal)
    {
        ["Brightness"] = 50, ["ColorSaturation"] = 50, ["Contrast"] = 50, ["Sharpness"] = 50,
    };

    private string _irCutFilter = "AUTO";
    private string _backlight = "OFF";
    private string _wdr = "OFF";
    private double _noiseReduction = 0.5;
    private (string Mode, double Level) _tone = ("OFF", 0.5);
    private (string Mode, double Level) _defog = ("OFF", 0.5);

    /// <summary>False: the camera reports no imaging extension (noise reduction, tone compensation, defogging).</summary>
    public bool ImagingExtensions { get; set; } = true;

    /// <summary>NoiseReduction Level, ToneCompensation and Defogging (Mode, Level): tt:ImagingSettingsExtension203.</summary>
    public (double NoiseReduction, (string Mode, double Level) Tone, (string Mode, double Level) Defog) Extensions
    {
        get { lock (_lock) { return (_noiseReduction, _tone, _defog); } }
    }

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
                        (ImagingExtensions ? "<tt:Extension><tt:Extension><tt:Extension>" +
                            $"<tt:ToneCompensation><tt:Mode>{_tone.Mode}</tt:Mode><tt:Level>{Number(_tone.Level)}</tt:Level></tt:ToneCompensation>" +
                            $"<tt:Defogging><tt:Mode>{_defog.Mode}</tt:Mode><tt:Level>{Number(_defog.Level)}</tt:Level></tt:Defogging>" +
                            $"<tt:NoiseReduction><tt:Level>{Number(_noiseReduction)}</tt:Level></tt:NoiseReduction>" +
                            "</tt:Extension></tt:Extension></tt:Extension>" : "") +
                        "</timg:ImagingSettings></timg:GetImagingSettingsResponse>";
                case "GetOptions":
                    string Range(string k) => $"<tt:{k}><tt:Min>{Number(ImagingMin)}</tt:Min><tt:Max>{Number(ImagingMax)}</tt:Max></tt:{k}>";
                    return "<timg:GetOptionsResponse><timg:ImagingOptions>" +
                        "<tt:BacklightCompensation><tt:Mode>OFF</tt:Mode><tt:Mode>ON</tt:Mode></tt:BacklightCompensation>" +
                        Range("Brightness") + Range("ColorSaturation") + Range("Contrast") +
                        "<tt:IrCutFilterModes>ON</tt:IrCutFilterModes><tt:IrCutFilterModes>OFF</tt:IrCutFilterModes><tt:IrCutFilterModes>AUTO</tt:IrCutFilterModes>" +
                        Range("Sharpness") +
                        "<tt:WideDynamicRange><tt:Mode>OFF</tt:Mode><tt:Mode>ON</tt:Mode></tt:WideDynamicRange>" +
                        (ImagingExtensions ? "<tt:Extension><tt:Extension><tt:Extension>" +
                            "<tt:ToneCompensationOptions><tt:Mode>OFF</tt:Mode><tt:Mode>ON</tt:Mode><tt:Mode>AUTO</tt:Mode><tt:Level>true</tt:Level></tt:ToneCompensationOptions>" +
                            "<tt:DefoggingOptions><tt:Mode>OFF</tt:Mode><tt:Mode>ON</tt:Mode><tt:Mode>AUTO</tt:Mode><tt:Level>true</tt:Level></tt:DefoggingOptions>" +
                            "<tt:NoiseReductionOptions><tt:Level>true</tt:Level></tt:NoiseReductionOptions>" +
                            "</tt:Extension></tt:Extension></tt:Extension>" : "") +
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
                    // The extension (ONVIF Imaging 2.x): exactly three Extension levels down, levels normalised 0..1.
                    var ext = ChildOf(ChildOf(ChildOf(settings, "Extension"), "Extension"), "Extension");
                    var anyExtension = settings?.Descendants().Any(e => e.Name.LocalName is "ToneCompensation" or "Defogging" or "NoiseReduction") == true;
                    if (anyExtension && (!ImagingExtensions || ext is null))
                    {
                        return FaultBody("env:Sender", "ter:InvalidArgVal", "imaging extension settings not supported or misplaced");
                    }
                    (string, double)? ModeLevel(string name, (string Mode, double Level) now)
                    {
                        var e = ChildOf(ext, name);
                        if (e is null)
                        {
                            return now;
                        }
                        var mode = ChildOf(e, "Mode")?.Value.Trim() ?? now.Mode;
                        var level = ChildOf(e, "Level") is { } l && double.TryParse(l.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var lv) ? lv : now.Level;
                        return mode is "OFF" or "ON" or "AUTO" && level is >= 0 and <= 1 ? (mode, level) : null;
                    }
                    var tone = ModeLevel("ToneCompensation", _tone);
                    var defog = ModeLevel("Defogging", _defog);
                    var noise = ChildOf(ChildOf(ext, "NoiseReduction"), "Level") is { } nl
                        ? double.TryParse(nl.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var nv) && nv is >= 0 and <= 1 ? nv : (double?)null
                        : _noiseReduction;
                    if (tone is null || defog is null || noise is null)
                    {
                        return FaultBody("env:Sender", "ter:InvalidArgVal", "imaging extension value out of range");
                    }
                    (_tone, _defog, _noiseReduction) = (tone.Value, defog.Value, noise.Value);
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
