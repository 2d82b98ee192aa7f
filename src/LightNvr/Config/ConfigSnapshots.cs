using System.Reflection;

namespace LightNvr.Config;

/// <summary>
/// The configuration in effect, as immutable snapshots: <see cref="Current"/> is one whole <see cref="LightNvrConfig"/>
/// that nobody changes once published; a change through the settings API builds a new one
/// (<see cref="SettingsService"/>) and <see cref="Publish"/> swaps it in atomically, so a reader sees either the old or the
/// new configuration, never half of each, and needs no lock. Components that apply a key live read it from
/// <see cref="Current"/> (or a <see cref="ConfigSection{T}"/>) each time they use it, or follow <see cref="Changed"/>;
/// the others keep what they read at start-up (those keys say <see cref="ConfigApplies.Restart"/>).
/// Thread-safety: every member may be used from any thread.
/// </summary>
/// <remarks>
/// The option types are records whose properties are <c>init</c>-only, so a published snapshot cannot be changed by
/// code: a new value is a new snapshot (<c>config with { Web = config.Web with { Port = 8081 } }</c>, or
/// <see cref="Copy"/>), published here. Only the builders of a snapshot that is not yet published set init-only
/// properties by reflection: the loader (<see cref="ConfigLoader"/>: INI, then environment) and
/// <see cref="SettingsService"/> on its copy. A test (ConfigSnapshotImmutabilityTests) fails when an option property
/// gets a public setter.
/// </remarks>
public sealed class ConfigSnapshots
{
    private LightNvrConfig _current;

    public ConfigSnapshots(LightNvrConfig initial)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _current = initial;
        General = new ConfigSection<GeneralOptions>(this, c => c.General);
        Storage = new ConfigSection<StorageOptions>(this, c => c.Storage);
        Web = new ConfigSection<WebOptions>(this, c => c.Web);
        Streams = new ConfigSection<StreamsOptions>(this, c => c.Streams);
        Go2rtc = new ConfigSection<Go2rtcOptions>(this, c => c.Go2rtc);
        Mqtt = new ConfigSection<MqttOptions>(this, c => c.Mqtt);
        ApiDetection = new ConfigSection<ApiDetectionOptions>(this, c => c.ApiDetection);
        Demo = new ConfigSection<DemoOptions>(this, c => c.Demo);
    }

    /// <summary>The configuration in effect now.</summary>
    public LightNvrConfig Current => Volatile.Read(ref _current);

    public ConfigSection<GeneralOptions> General { get; }

    public ConfigSection<StorageOptions> Storage { get; }

    public ConfigSection<WebOptions> Web { get; }

    public ConfigSection<StreamsOptions> Streams { get; }

    public ConfigSection<Go2rtcOptions> Go2rtc { get; }

    public ConfigSection<MqttOptions> Mqtt { get; }

    public ConfigSection<ApiDetectionOptions> ApiDetection { get; }

    public ConfigSection<DemoOptions> Demo { get; }

    /// <summary>Raised after a new snapshot was published, with the keys whose values differ. Handlers must be quick.</summary>
    public event Action<ConfigChange>? Changed;

    /// <summary>Makes <paramref name="next"/> the configuration in effect (it must not be changed afterwards).</summary>
    public void Publish(LightNvrConfig next, IReadOnlyList<ConfigKeyInfo> changedKeys)
    {
        ArgumentNullException.ThrowIfNull(next);
        var previous = Interlocked.Exchange(ref _current, next);
        Changed?.Invoke(new ConfigChange(previous, next, changedKeys));
    }

    /// <summary>
    /// Makes <paramref name="next"/> the configuration in effect, with the changed keys found by comparing every key of
    /// <see cref="ConfigSchema"/> with the snapshot it replaces (for callers that built <paramref name="next"/> with
    /// <c>with</c>, e.g. tests that change a live key).
    /// </summary>
    public void Publish(LightNvrConfig next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var current = Current;
        Publish(next, ConfigSchema.Keys.Where(k => !Equals(k.GetValue(current), k.GetValue(next))).ToList());
    }

    /// <summary>
    /// A copy of <paramref name="config"/> with every section copied (sections hold only strings and numbers), for
    /// building the next snapshot without touching the published one (its init-only properties are then set by
    /// reflection, before it is published). Found by reflection, as <see cref="ConfigSchema"/>
    /// finds the keys, so a new section is copied too.
    /// </summary>
    public static LightNvrConfig Copy(LightNvrConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var copy = new LightNvrConfig();
        foreach (var property in typeof(LightNvrConfig).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var value = property.GetValue(config);
            var isSection = property.PropertyType.IsClass && property.PropertyType != typeof(string);
            property.SetValue(copy, isSection && value is not null ? CopySection(value) : value);
        }

        return copy;
    }

    private static object CopySection(object section)
    {
        var type = section.GetType();
        var copy = Activator.CreateInstance(type)!;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.CanWrite && property.GetIndexParameters().Length == 0)
            {
                property.SetValue(copy, property.GetValue(section));
            }
        }

        return copy;
    }
}
