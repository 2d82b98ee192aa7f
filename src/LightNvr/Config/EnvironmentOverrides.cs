namespace LightNvr.Config;

/// <summary>
/// <c>LIGHTNVR_*</c> environment variables, applied after the file and checked like it. Two spellings: upstream's
/// names (<c>LIGHTNVR_WEB_PORT</c>, <c>LIGHTNVR_DB_PATH</c>, <c>LIGHTNVR_STORAGE_PATH</c>, ... from
/// <see cref="ConfigKeyAttribute.Env"/>) and the generic <c>LIGHTNVR_&lt;SECTION&gt;_&lt;KEY&gt;</c>
/// (e.g. <c>LIGHTNVR_GO2RTC_RTSP_PORT</c>). Unlike upstream, an override wins even over a value set in the file.
/// Applied by reflection on the init-only properties of the configuration the loader is still building (never a
/// published snapshot: <see cref="ConfigSnapshots"/>).
/// </summary>
public static class EnvironmentOverrides
{
    public const string Prefix = "LIGHTNVR_";

    /// <summary>Variables the server sets or reads for itself, not config keys.</summary>
    private static readonly HashSet<string> Internal = new(StringComparer.Ordinal)
    {
        "LIGHTNVR_DAEMON_CHILD", "LIGHTNVR_MIGRATIONS_DIR",
    };

    private static readonly Lazy<Dictionary<string, ConfigKeyInfo>> Names = new(BuildNames);

    /// <summary>Every accepted variable name and its key (for docs and tests).</summary>
    public static IReadOnlyDictionary<string, ConfigKeyInfo> AllNames => Names.Value;

    internal static void Apply(LightNvrConfig config, IReadOnlyDictionary<string, string> environment, List<string> warnings)
    {
        foreach (var (name, raw) in environment.Where(e => e.Key.StartsWith(Prefix, StringComparison.Ordinal)).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!Names.Value.TryGetValue(name, out var key))
            {
                if (!Internal.Contains(name))
                {
                    warnings.Add($"environment {name}: not a known setting, ignored");
                }

                continue;
            }

            if (!key.TryParse(raw, out var value, out var error))
            {
                throw new ConfigException($"environment {name} ({key.Id}) = '{raw}': {error}");
            }

            key.SetValue(config, value);
        }
    }

    /// <summary>The process environment as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> FromProcess()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            if (e.Key is string k && e.Value is string v)
            {
                result[k] = v;
            }
        }

        return result;
    }

    private static Dictionary<string, ConfigKeyInfo> BuildNames()
    {
        var names = new Dictionary<string, ConfigKeyInfo>(StringComparer.Ordinal);
        foreach (var key in ConfigSchema.Keys)
        {
            names[Prefix + key.Section.ToUpperInvariant() + "_" + key.Key.ToUpperInvariant()] = key;
        }

        // Upstream's own names win over a generic name that happens to collide.
        foreach (var key in ConfigSchema.Keys)
        {
            foreach (var env in key.Rules.Env)
            {
                names[Prefix + env] = key;
            }
        }

        return names;
    }
}
