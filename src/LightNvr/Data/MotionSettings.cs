namespace LightNvr.Data;

/// <summary>
/// One row of <c>motion_settings</c> (upstream migration 0007), with the table's defaults when a stream has none.
/// </summary>
/// <param name="Sensitivity">0–1: higher finds fainter changes (a lower per-pixel threshold).</param>
/// <param name="Threshold">Fraction 0–1 of a zone's (or the frame's) pixels that must change for motion.</param>
/// <param name="CooldownSeconds">After a motion run ends, a new run is reported no sooner than this.</param>
/// <param name="MinMotionFrames">Consecutive frames with motion before it is reported.</param>
public sealed record MotionSettings(double Sensitivity = 0.5, double Threshold = 0.01, int CooldownSeconds = 5,
    int MinMotionFrames = 3)
{
    public static MotionSettings Default { get; } = new();
}
