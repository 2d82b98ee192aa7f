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
    double? WideDynamicRangeLevel = null)
{
    /// <summary>NoiseReduction Level (normalised 0..1; tt:ImagingSettingsExtension203).</summary>
    public double? NoiseReduction { get; init; }

    /// <summary>ToneCompensation Mode (OFF/ON/AUTO) and Level (0..1).</summary>
    public string? ToneCompensation { get; init; }

    public double? ToneCompensationLevel { get; init; }

    /// <summary>Defogging Mode (OFF/ON/AUTO) and Level (0..1).</summary>
    public string? Defogging { get; init; }

    public double? DefoggingLevel { get; init; }
}
