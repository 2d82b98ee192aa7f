namespace LightNvr.Config;

/// <summary>[demo]: this project's switch for a synthetic camera so a fresh install shows video at once.</summary>
public sealed record DemoOptions
{
    [ConfigKey]
    public bool Camera { get; init; }

    /// <summary>The type name only: a record would print every value, secrets included (logs, test output).</summary>
    public override string ToString() => nameof(DemoOptions);
}
