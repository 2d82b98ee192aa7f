namespace LightNvr.Config;

/// <summary>[detection_engine]: the in-process detector.</summary>
public sealed record DetectionEngineOptions
{
    [ConfigKey(Setting = "detection_engine_enabled", NoEffect = "stored, no effect (a stream's `detection_model` turns its detector on)")]
    public bool Enabled { get; init; }

    /// <summary>Upstream's bounds: 1–16 threads.</summary>
    [ConfigKey(Min = 1, Max = 16, Setting = "detection_engine_threads")]
    public int Threads { get; init; } = 1;

    [ConfigKey(Choices = ["xnnpack", "gpu", "none"], Setting = "detection_engine_delegate", NoEffect = "stored, no effect (ONNX Runtime runs on the CPU provider)")]
    public string Delegate { get; init; } = "xnnpack";

    /// <summary>The type name only: a record would print every value, secrets included (logs, test output).</summary>
    public override string ToString() => nameof(DetectionEngineOptions);
}
