namespace LightNvr.Config;

/// <summary>[hardware]</summary>
public sealed record HardwareOptions
{
    [ConfigKey(NoEffect = "stored, no effect yet")]
    public bool HwAccelEnabled { get; init; }

    [ConfigKey(NoEffect = "stored, no effect yet")]
    public string HwAccelDevice { get; init; } = "";

    /// <summary>The type name only: a record would print every value, secrets included (logs, test output).</summary>
    public override string ToString() => nameof(HardwareOptions);
}
