namespace LightNvr.Config;

/// <summary>[detection_engine]: the in-process detector.</summary>
public sealed class DetectionEngineOptions
{
    [ConfigKey(Setting = "detection_engine_enabled", NoEffect = "stored, no effect (a stream's `detection_model` turns its detector on)")]
    public bool Enabled { get; set; }

    /// <summary>Upstream's bounds: 1–16 threads.</summary>
    [ConfigKey(Min = 1, Max = 16, Setting = "detection_engine_threads")]
    public int Threads { get; set; } = 1;

    [ConfigKey(Choices = ["xnnpack", "gpu", "none"], Setting = "detection_engine_delegate", NoEffect = "stored, no effect (ONNX Runtime runs on the CPU provider)")]
    public string Delegate { get; set; } = "xnnpack";
}
