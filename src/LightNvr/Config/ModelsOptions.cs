namespace LightNvr.Config;

/// <summary>[models]: where detection models live.</summary>
public sealed class ModelsOptions
{
    [ConfigKey(IsPath = true, Setting = "models_path", RestartRequired = true)]
    public string Path { get; set; } = "data/models";
}
