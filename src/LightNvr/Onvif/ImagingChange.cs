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
    public bool IsEmpty => this == new ImagingChange(ForcePersistence: ForcePersistence);
}
