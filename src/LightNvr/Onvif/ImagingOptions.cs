namespace LightNvr.Onvif;

/// <summary>
/// What a video source accepts (ONVIF Imaging §5.1.3 GetOptions, tt:ImagingOptions20): ranges (null: the camera
/// offers no such setting) and mode lists (empty: none).
/// </summary>
public sealed record ImagingOptions(
    ImagingRange? Brightness,
    ImagingRange? ColorSaturation,
    ImagingRange? Contrast,
    ImagingRange? Sharpness,
    IReadOnlyList<string> IrCutFilterModes,
    IReadOnlyList<string> BacklightModes,
    ImagingRange? BacklightLevel,
    IReadOnlyList<string> WideDynamicRangeModes,
    ImagingRange? WideDynamicRangeLevel);
