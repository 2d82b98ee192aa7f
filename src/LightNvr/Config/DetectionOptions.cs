namespace LightNvr.Config;

/// <summary>[detection]</summary>
public sealed class DetectionOptions
{
    /// <summary>Seconds before the post-detection buffer starts.</summary>
    [ConfigKey(Min = 0, Max = 300, Setting = "detection_grace_period", NoEffect = "stored, no effect yet (detection, issue 13)")]
    public int GracePeriod { get; set; } = 2;
}
