namespace LightNvr.Config;

/// <summary>[streams]</summary>
public sealed class StreamsOptions
{
    /// <summary>Upstream's hard ceiling on configured streams.</summary>
    public const int MaxStreamsCeiling = 256;

    [ConfigKey(Min = 1, Max = MaxStreamsCeiling, Setting = "max_streams", Applies = ConfigApplies.Live)]
    public int MaxStreams { get; set; } = 32;
}
