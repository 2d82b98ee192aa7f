namespace LightNvr.Config;

/// <summary>[hardware]</summary>
public sealed class HardwareOptions
{
    [ConfigKey]
    public bool HwAccelEnabled { get; set; }

    [ConfigKey]
    public string HwAccelDevice { get; set; } = "";
}
