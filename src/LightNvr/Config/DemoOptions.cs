namespace LightNvr.Config;

/// <summary>[demo]: this project's switch for a synthetic camera so a fresh install shows video at once.</summary>
public sealed class DemoOptions
{
    [ConfigKey]
    public bool Camera { get; set; }
}
