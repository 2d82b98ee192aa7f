
namespace LightNvr.Config;

/// <summary>
/// Loads <c>lightnvr.ini</c>: finds the file (<c>-c FILE</c>, <c>./lightnvr.ini</c>, <c>/etc/lightnvr/lightnvr.ini</c>),
/// binds its keys, applies <c>LIGHTNVR_*</c> environment overrides, checks every value and resolves relative paths
/// against the file's folder (the working directory when no file was found). Errors throw
/// <see cref="ConfigException"/> naming file, line, key and the allowed values; unknown sections and keys only warn.
/// The options are immutable records (<see cref="ConfigSnapshots"/>); the loader builds a new <see cref="LightNvrConfig"/>
/// and sets its init-only properties by reflection (<see cref="ConfigKeyInfo.SetValue"/>) before anyone else sees it.
/// </summary>
public static class ConfigLoader
{
    public const string FileName = "lightnvr.ini";
    public const string SystemFile = "/etc/lightnvr/lightnvr.ini";

    /// <summary>The file to load: the <c>-c</c> one (which must exist), else the first of the search path, else null.</summary>
    public static string? FindFile(string? explicitPath, string workingDirectory)
    {
        if (explicitPath is not null)
        {
            var full = Path.GetFullPath(explicitPath, workingDirectory);
            return File.Exists(full) ? full : throw new ConfigException($"{full}: config file not found (given with -c)");
        }

        var local = Path.Combine(workingDirectory, FileName);
        return File.Exists(local) ? local : File.Exists(SystemFile) ? SystemFile : null;
    }

    public static ConfigLoadResult Load(string? explicitPath, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var file = FindFile(explicitPath, workingDirectory);
        var config = new LightNvrConfig { SourceFile = file };
        var warnings = new List<string>();
        if (file is not null)
        {
            IniDocument doc;
            try
            {
                doc = IniDocument.Load(file);
            }
            catch (IOException e)
            {
                throw new ConfigException($"{file}: cannot read: {e.Message}", e);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new ConfigException($"{file}: cannot read: {e.Message}", e);
            }

            Bind(doc, file, config, warnings);
        }

        EnvironmentOverrides.Apply(config, environment, warnings);
        CheckConsistency(config, file ?? "built-in defaults");
        ResolvePaths(config, file is null ? workingDirectory : Path.GetDirectoryName(file)!);
        if (Directory.Exists(config.Database.Path))
        {
            // SQLite would fail at start-up with "unable to open database file", after the web host was built.
            throw new ConfigException($"{file ?? "built-in defaults"}: [database] path = '{config.Database.Path}' is a folder; " +
                $"give the database file, e.g. {Path.Combine(config.Database.Path, "lightnvr.db")}");
        }

        return new ConfigLoadResult(config, warnings);
    }

    /// <summary>Binds every entry of the document; the first bad line or value throws.</summary>
    public static void Bind(IniDocument doc, string file, LightNvrConfig config, List<string> warnings)
    {
        if (doc.Errors.FirstOrDefault() is { } bad)
        {
            throw new ConfigException($"{file}:{bad.Number}: {bad.Error}: {bad.Text.Trim()}");
        }

        var known = ConfigSchema.Sections.ToHashSet();
        var seen = new Dictionary<(string, string), int>();
        foreach (var line in doc.Lines.Where(l => l.Kind == IniLineKind.Section && !known.Contains(l.Section)))
        {
            warnings.Add($"{file}:{line.Number}: unknown section [{line.Section}] ignored");
        }

        foreach (var entry in doc.Entries)
        {
            if (entry.Section.Length == 0)
            {
                warnings.Add($"{file}:{entry.Number}: key '{entry.Key}' outside any [section] ignored");
                continue;
            }

            if (!known.Contains(entry.Section))
            {
                continue;
            }

            var key = ConfigSchema.Find(entry.Section, entry.Key);
            if (key is null)
            {
                warnings.Add($"{file}:{entry.Number}: unknown key '{entry.Key}' in [{entry.Section}] ignored");
                continue;
            }

            if (seen.TryGetValue((key.Section, key.Key), out var earlier))
            {
                warnings.Add($"{file}:{entry.Number}: {key.Id} repeats line {earlier}; the later value wins");
            }

            seen[(key.Section, key.Key)] = entry.Number;
            if (!key.TryParse(entry.Value, out var value, out var error))
            {
                throw new ConfigException($"{file}:{entry.Number}: {key.Id} = '{entry.Value}': {error}");
            }

            key.SetValue(config, value);
        }
    }

    /// <summary>Rules that span keys (upstream checks the same on save).</summary>
    public static void CheckConsistency(LightNvrConfig config, string origin)
    {
        var s = config.Storage;
        if (!(s.PressureEmergencyPct < s.PressureCriticalPct && s.PressureCriticalPct < s.PressureWarningPct))
        {
            throw new ConfigException(
                $"{origin}: [storage] pressure_emergency_pct ({s.PressureEmergencyPct}) < pressure_critical_pct " +
                $"({s.PressureCriticalPct}) < pressure_warning_pct ({s.PressureWarningPct}) must hold");
        }

        var w = config.Web;
        if (w.WebrtcDisabled && w.HlsDisabled && w.MseDisabled)
        {
            throw new ConfigException($"{origin}: [web] webrtc_disabled, hls_disabled and mse_disabled are all true; at least one live mode must stay enabled");
        }
        if ((w.MetricsAuth == "token" || w.MetricsToken.Length > 0) && w.MetricsToken.Length < WebOptions.MinMetricsTokenLength)
        {
            throw new ConfigException(
                $"{origin}: [web] metrics_auth = token (or any metrics_token) needs a metrics_token of at least {WebOptions.MinMetricsTokenLength} characters");
        }

        if (config.Database.Type == "postgresql" && string.IsNullOrWhiteSpace(config.Database.ConnectionString))
        {
            throw new ConfigException($"{origin}: [database] type = postgresql needs a connection_string (Npgsql format, e.g. Host=db;Database=lightnvr;Username=nvr;Password=...)");
        }

        var m = config.Mqtt;
        foreach (var (key, prefix) in new[] { ("topic_prefix", m.TopicPrefix), ("ha_discovery_prefix", m.HaDiscoveryPrefix) })
        {
            if (m.Enabled && MqttTopicRule.Problem(prefix) is { } topicProblem)
            {
                throw new ConfigException($"{origin}: [mqtt] {key} = '{Escape(prefix)}': {topicProblem}");
            }
        }

        // The first admin is created with this name: the user API's rules, so the config cannot make a user it would refuse.
        if (UsernameRule.Problem(w.Username) is { } problem)
        {
            throw new ConfigException($"{origin}: [web] username = '{Escape(w.Username)}': {problem}");
        }
    }

    /// <summary>A value fit for a one-line message: control characters as <c>\uXXXX</c>.</summary>
    private static string Escape(string value) =>
        string.Concat(value.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    /// <summary>Makes every non-empty path key absolute, relative ones against <paramref name="baseDirectory"/>.</summary>
    internal static void ResolvePaths(LightNvrConfig config, string baseDirectory)
    {
        foreach (var key in ConfigSchema.Keys.Where(k => k.Rules.IsPath))
        {
            var value = (string)key.GetValue(config);
            if (value.Length > 0 && !Path.IsPathRooted(value))
            {
                key.SetValue(config, Path.GetFullPath(value, baseDirectory));
            }
        }
    }
}
