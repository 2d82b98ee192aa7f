namespace LightNvr.Config;

/// <summary>[detection_engine]: the in-process detector.</summary>
public sealed class DetectionEngineOptions
{
    [ConfigKey(Setting = "detection_engine_enabled", NoEffect = "stored, no effect yet (detection, issue 14)")]
    public bool Enabled { get; set; }

    /// <summary>Upstream's bounds: 1–16 threads.</summary>
    [ConfigKey(Min = 1, Max = 16, Setting = "detection_engine_threads", NoEffect = "stored, no effect yet (detection, issue 14)")]
    public int Threads { get; set; } = 1;

    [ConfigKey(Choices = ["xnnpack", "gpu", "none"], Setting = "detection_engine_delegate", NoEffect = "stored, no effect yet (detection, issue 14)")]
    public string Delegate { get; set; } = "xnnpack";
}
