namespace LightNvr.Config;

/// <summary>
/// The whole of <c>lightnvr.ini</c>, one property per INI section, keys as upstream names them
/// (../shared/reference/lightnvr-upstream.md §3). Paths are absolute after loading (relative ones resolve against the
/// config file's folder, or the working directory when no file was found). Section names are the snake_case of the
/// property names (<see cref="ConfigSchema"/>); key rules are the <see cref="ConfigKeyAttribute"/> on each option.
/// Immutable once published (<see cref="ConfigSnapshots"/>): every property here and in the sections is init-only, so a
/// change is a new snapshot built with <c>with</c>; only the loader and <see cref="SettingsService"/> set properties by
/// reflection, on a snapshot they are still building.
/// </summary>
public sealed record LightNvrConfig
{
    /// <summary>The file this was loaded from, or null when running on built-in defaults.</summary>
    public string? SourceFile { get; init; }

    public GeneralOptions General { get; init; } = new();
    public StorageOptions Storage { get; init; } = new();
    public DatabaseOptions Database { get; init; } = new();
    public WebOptions Web { get; init; } = new();
    public StreamsOptions Streams { get; init; } = new();
    public ModelsOptions Models { get; init; } = new();
    public ApiDetectionOptions ApiDetection { get; init; } = new();
    public DetectionEngineOptions DetectionEngine { get; init; } = new();
    public DetectionOptions Detection { get; init; } = new();
    public MemoryOptions Memory { get; init; } = new();
    public HardwareOptions Hardware { get; init; } = new();
    public Go2rtcOptions Go2rtc { get; init; } = new();
    public OnvifOptions Onvif { get; init; } = new();
    public MqttOptions Mqtt { get; init; } = new();
    public DemoOptions Demo { get; init; } = new();
    public ClusterOptions Cluster { get; init; } = new();

    /// <summary>The type name only: a record would print every value, secrets included (logs, test output).</summary>
    public override string ToString() => nameof(LightNvrConfig);
}
