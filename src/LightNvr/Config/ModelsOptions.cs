namespace LightNvr.Config;

/// <summary>[models]: where detection models live.</summary>
public sealed record ModelsOptions
{
    [ConfigKey(IsPath = true, Setting = "models_path")]
    public string Path { get; init; } = "data/models";

    /// <summary>The type name only: a record would print every value, secrets included (logs, test output).</summary>
    public override string ToString() => nameof(ModelsOptions);
}
