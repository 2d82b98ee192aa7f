namespace LightNvr.Config;

/// <summary>[hardware]</summary>
public sealed class HardwareOptions
{
    [ConfigKey(NoEffect = "stored, no effect yet")]
    public bool HwAccelEnabled { get; set; }

    [ConfigKey(NoEffect = "stored, no effect yet")]
    public string HwAccelDevice { get; set; } = "";
}
