namespace LightNvr.Config;

/// <summary>A published configuration change: the snapshot before, the one now in effect, and the keys that differ.</summary>
public sealed record ConfigChange(LightNvrConfig Previous, LightNvrConfig Current, IReadOnlyList<ConfigKeyInfo> Keys)
{
    public bool Touches(string section, string key) => Keys.Any(k => k.Section == section && k.Key == key);
}
