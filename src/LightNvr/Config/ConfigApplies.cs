namespace LightNvr.Config;

/// <summary>When a changed key takes effect (<see cref="ConfigKeyAttribute.Applies"/>; docs/config.md, column Applies).</summary>
public enum ConfigApplies
{
    /// <summary>
    /// After a restart: read once at start-up (ports, paths, the log file), or not read at all yet (keys stored with no
    /// effect). The settings API answers <c>restart_required</c>.
    /// </summary>
    Restart,

    /// <summary>
    /// At once: a running component reads it from <see cref="ConfigSnapshots.Current"/> each time it uses it (per
    /// request, per sweep, per segment) or follows <see cref="ConfigSnapshots.Changed"/>.
    /// </summary>
    Live,
}
