namespace LightNvr.Onvif;

/// <summary>The imaging values to set (null: leave as is), in the camera's terms (IrCutFilter ON/OFF/AUTO, modes OFF/ON).</summary>
public sealed record ImagingChange(
    double? Brightness = null,
    double? ColorSaturation = null,
    double? Contrast = null,
    double? Sharpness = null,
    string? IrCutFilter = null,
    string? BacklightMode = null,
    double? BacklightLevel = null,
    string? WideDynamicRangeMode = null,
    double? WideDynamicRangeLevel = null,
    bool ForcePersistence = true)
{
    /// <summary>NoiseReduction Level (0..1).</summary>
    public double? NoiseReduction { get; init; }

    public string? ToneCompensationMode { get; init; }

    public double? ToneCompensationLevel { get; init; }

    public string? DefoggingMode { get; init; }

    public double? DefoggingLevel { get; init; }

    /// <summary>True when any imaging extension value (ImagingSettingsExtension203) is set.</summary>
    public bool HasExtension => NoiseReduction is not null || ToneCompensationMode is not null || ToneCompensationLevel is not null ||
        DefoggingMode is not null || DefoggingLevel is not null;

    public bool IsEmpty => this == new ImagingChange(ForcePersistence: ForcePersistence);
}
