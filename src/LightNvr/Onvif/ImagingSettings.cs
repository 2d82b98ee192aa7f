namespace LightNvr.Onvif;

/// <summary>The imaging values the API shows (ONVIF tt:ImagingSettings20); null where the camera reports none.</summary>
public sealed record ImagingSettings(
    double? Brightness,
    double? ColorSaturation,
    double? Contrast,
    double? Sharpness,
    string? IrCutFilter,
    string? BacklightCompensation,
    string? WideDynamicRange,
    double? BacklightLevel = null,
    double? WideDynamicRangeLevel = null);
