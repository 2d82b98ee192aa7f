namespace LightNvr.Config;

/// <summary>[api_detection]: the external detection API.</summary>
public sealed class ApiDetectionOptions
{
    [ConfigKey(Setting = "api_detection_url")]
    public string Url { get; set; } = "http://localhost:8000/detect";

    [ConfigKey(Choices = ["onnx", "tflite", "opencv"], Setting = "api_detection_backend")]
    public string Backend { get; set; } = "onnx";

    /// <summary>Percent.</summary>
    [ConfigKey(Min = 0, Max = 100, Setting = "default_detection_threshold")]
    public int DetectionThreshold { get; set; } = 50;

    /// <summary>Seconds; upstream clamps to 0–60.</summary>
    [ConfigKey(Min = 0, Max = 60, Setting = "pre_detection_buffer", NoEffect = "each stream's own `pre_detection_buffer` sizes its pre-event buffer (docs/events.md)")]
    public int PreDetectionBuffer { get; set; } = 5;

    /// <summary>Seconds; upstream clamps to 0–300.</summary>
    [ConfigKey(Min = 0, Max = 300, Setting = "post_detection_buffer")]
    public int PostDetectionBuffer { get; set; } = 10;

    [ConfigKey(Choices = ["auto", "go2rtc", "hls_segment", "memory_packet", "mmap_hybrid"], Setting = "buffer_strategy", NoEffect = "stored, no effect yet (detection, issues 13–14)")]
    public string BufferStrategy { get; set; } = "auto";
}
