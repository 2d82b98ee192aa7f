namespace LightNvr.Config;

/// <summary>[streams]</summary>
public sealed record StreamsOptions
{
    /// <summary>Upstream's hard ceiling on configured streams.</summary>
    public const int MaxStreamsCeiling = 256;

    [ConfigKey(Min = 1, Max = MaxStreamsCeiling, Setting = "max_streams", Applies = ConfigApplies.Live)]
    public int MaxStreams { get; init; } = 32;

    /// <summary>The type name only: a record would print every value, secrets included (logs, test output).</summary>
    public override string ToString() => nameof(StreamsOptions);
}
