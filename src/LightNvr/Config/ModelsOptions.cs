namespace LightNvr.Config;

/// <summary>[models]: where detection models live.</summary>
public sealed class ModelsOptions
{
    [ConfigKey(IsPath = true, Setting = "models_path")]
    public string Path { get; set; } = "data/models";
}
