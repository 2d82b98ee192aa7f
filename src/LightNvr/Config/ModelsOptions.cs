namespace LightNvr.Config;

/// <summary>[models]: where detection models live.</summary>
public sealed class ModelsOptions
{
    [ConfigKey(IsPath = true, Setting = "models_path", NoEffect = "stored, no effect yet (detection, issue 14)")]
    public string Path { get; set; } = "data/models";
}
