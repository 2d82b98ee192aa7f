namespace LightNvr.Config;

/// <summary>
/// One INI section of the configuration in effect (<see cref="ConfigSnapshots"/>): what a class receives when it needs
/// that section only and applies it live. <see cref="Current"/> is the section of the current snapshot: read it where
/// the value is used, not once in a constructor.
/// </summary>
public sealed class ConfigSection<T> where T : class
{
    private readonly ConfigSnapshots? _snapshots;
    private readonly Func<LightNvrConfig, T>? _select;
    private readonly T? _fixed;

    internal ConfigSection(ConfigSnapshots snapshots, Func<LightNvrConfig, T> select)
    {
        _snapshots = snapshots;
        _select = select;
    }

    private ConfigSection(T value) => _fixed = value;

    public T Current => _fixed ?? _select!(_snapshots!.Current);

    /// <summary>A section that never changes (a component built outside the server, e.g. in a test or a tool).</summary>
    public static ConfigSection<T> Fixed(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new ConfigSection<T>(value);
    }
}
