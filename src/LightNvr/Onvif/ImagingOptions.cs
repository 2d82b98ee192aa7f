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
    ImagingRange? WideDynamicRangeLevel)
{
    /// <summary>
    /// The normalised 0..1 of the imaging extension levels (ONVIF Imaging 2.x, tt:ImagingOptions20Extension3): its
    /// options say only whether a Level is supported.
    /// </summary>
    public static readonly ImagingRange Normalised = new(0, 1);

    /// <summary>NoiseReductionOptions/Level true: 0..1; null: not adjustable.</summary>
    public ImagingRange? NoiseReduction { get; init; }

    public IReadOnlyList<string> ToneCompensationModes { get; init; } = [];

    public ImagingRange? ToneCompensationLevel { get; init; }

    public IReadOnlyList<string> DefoggingModes { get; init; } = [];

    public ImagingRange? DefoggingLevel { get; init; }
}
