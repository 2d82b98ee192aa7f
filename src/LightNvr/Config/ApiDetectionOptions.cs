namespace LightNvr.Config;

/// <summary>[api_detection]: the external detection API.</summary>
public sealed record ApiDetectionOptions
{
    [ConfigKey(Setting = "api_detection_url")]
    public string Url { get; init; } = "http://localhost:8000/detect";

    [ConfigKey(Choices = ["onnx", "tflite", "opencv"], Setting = "api_detection_backend")]
    public string Backend { get; init; } = "onnx";

    /// <summary>Percent.</summary>
    [ConfigKey(Min = 0, Max = 100, Setting = "default_detection_threshold")]
    public int DetectionThreshold { get; init; } = 50;

    /// <summary>Seconds; upstream clamps to 0–60.</summary>
    [ConfigKey(Min = 0, Max = 60, Setting = "pre_detection_buffer", NoEffect = "each stream's own `pre_detection_buffer` sizes its pre-event buffer (docs/events.md)")]
    public int PreDetectionBuffer { get; init; } = 5;

    /// <summary>Seconds; upstream clamps to 0–300.</summary>
    [ConfigKey(Min = 0, Max = 300, Setting = "post_detection_buffer")]
    public int PostDetectionBuffer { get; init; } = 10;

    [ConfigKey(Choices = ["auto", "go2rtc", "hls_segment", "memory_packet", "mmap_hybrid"], Setting = "buffer_strategy", NoEffect = "stored, no effect yet (detectors decode frames from the live stream itself; no other buffer)")]
    public string BufferStrategy { get; init; } = "auto";

    /// <summary>The type name only: a record would print every value, secrets included (logs, test output).</summary>
    public override string ToString() => nameof(ApiDetectionOptions);
}
