namespace LightNvr.Config;

/// <summary>
/// The whole of <c>lightnvr.ini</c>, one property per INI section, keys as upstream names them
/// (../shared/reference/lightnvr-upstream.md §3). Paths are absolute after loading (relative ones resolve against the
/// config file's folder, or the working directory when no file was found). Section names are the snake_case of the
/// property names (<see cref="ConfigSchema"/>); key rules are the <see cref="ConfigKeyAttribute"/> on each option.
/// </summary>
public sealed class LightNvrConfig
{
    /// <summary>The file this was loaded from, or null when running on built-in defaults.</summary>
    public string? SourceFile { get; set; }

    public GeneralOptions General { get; set; } = new();
    public StorageOptions Storage { get; set; } = new();
    public DatabaseOptions Database { get; set; } = new();
    public WebOptions Web { get; set; } = new();
    public StreamsOptions Streams { get; set; } = new();
    public ModelsOptions Models { get; set; } = new();
    public ApiDetectionOptions ApiDetection { get; set; } = new();
    public DetectionEngineOptions DetectionEngine { get; set; } = new();
    public DetectionOptions Detection { get; set; } = new();
    public MemoryOptions Memory { get; set; } = new();
    public HardwareOptions Hardware { get; set; } = new();
    public Go2rtcOptions Go2rtc { get; set; } = new();
    public OnvifOptions Onvif { get; set; } = new();
    public MqttOptions Mqtt { get; set; } = new();
    public DemoOptions Demo { get; set; } = new();
    public ClusterOptions Cluster { get; set; } = new();
}
