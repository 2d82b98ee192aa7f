namespace LightNvr.Config;

/// <summary>[detection]</summary>
public sealed record DetectionOptions
{
    /// <summary>Seconds before the post-detection buffer starts.</summary>
    [ConfigKey(Min = 0, Max = 300, Setting = "detection_grace_period", NoEffect = "stored, no effect yet (an event ends its stream's post_detection_buffer after the last detection)")]
    public int GracePeriod { get; init; } = 2;

    /// <summary>The type name only: a record would print every value, secrets included (logs, test output).</summary>
    public override string ToString() => nameof(DetectionOptions);
}
