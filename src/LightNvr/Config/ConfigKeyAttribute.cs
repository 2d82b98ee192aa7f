namespace LightNvr.Config;

/// <summary>
/// Describes how one option property is read from <c>lightnvr.ini</c>, checked, overridden from the environment and
/// shown by <c>/api/settings</c>. The INI key is the property name in snake_case unless <see cref="Name"/> says
/// otherwise; the section is the owning section property's name in snake_case.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class ConfigKeyAttribute : Attribute
{
    /// <summary>The INI key when it is not the snake_case of the property name.</summary>
    public string? Name { get; set; }

    /// <summary>Other INI key names upstream also accepts (e.g. <c>webrtc_port</c>).</summary>
    public string[] Aliases { get; set; } = [];

    /// <summary>Smallest allowed value of a number (inclusive).</summary>
    public long Min { get; set; } = long.MinValue;

    /// <summary>Largest allowed value of a number (inclusive).</summary>
    public long Max { get; set; } = long.MaxValue;

    /// <summary>The only values a string (or number) may take.</summary>
    public string[] Choices { get; set; } = [];

    /// <summary>The value is a filesystem path: relative values resolve against the config file's folder.</summary>
    public bool IsPath { get; set; }

    /// <summary>The value must be an IP address literal (IPv4 or IPv6).</summary>
    public bool IsIpAddress { get; set; }

    /// <summary>Never shown in clear: the settings API answers <c>"********"</c> when set.</summary>
    public bool IsSecret { get; set; }

    /// <summary>Upstream's <c>LIGHTNVR_</c>-less environment names (e.g. <c>DB_PATH</c>); the generic
    /// <c>LIGHTNVR_SECTION_KEY</c> form always works as well.</summary>
    public string[] Env { get; set; } = [];

    /// <summary>The key's name in the flat <c>/api/settings</c> JSON object; null = not exposed there.</summary>
    public string? Setting { get; set; }

    /// <summary>
    /// When a change takes effect: <see cref="ConfigApplies.Restart"/> (the default: read at start-up, or not read yet)
    /// or <see cref="ConfigApplies.Live"/>, only where a running component re-reads it from <see cref="ConfigSnapshots"/>.
    /// The settings API answers <c>restart_required</c> for the first kind; docs/config.md shows it (column Applies).
    /// </summary>
    public ConfigApplies Applies { get; set; } = ConfigApplies.Restart;

    /// <summary>
    /// Null when the key does something. Otherwise why it does not yet, as the settings page and docs/config.md show it
    /// ("stored, no effect yet (MQTT, issue 15)"): a setting must never pretend to work.
    /// </summary>
    public string? NoEffect { get; set; }
}
