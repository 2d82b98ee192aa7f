using System.Net;
using System.Text.Json;
using System.Text;
using LightNvr.Json;

namespace LightNvr.Config;

/// <summary>
/// The flat settings object of <c>/api/settings</c> (upstream §8 names, from <see cref="ConfigKeyAttribute.Setting"/>).
/// Reading: secrets are <c>"********"</c> when set, credentials inside URLs are masked, and callers that are not admin
/// get every filesystem path as <c>""</c>. Writing: a partial object, every field type- and range-checked (400 naming
/// the field), built into a new configuration snapshot, written back into the INI file keeping its comments and other
/// lines, and only then published (<see cref="ConfigSnapshots.Publish"/>): the snapshot in effect is never written, so
/// readers need no lock. Keys marked <see cref="ConfigApplies.Live"/> take effect at once; a change of any other key
/// answers <c>restart_required</c>. <see cref="Changed"/> tells subscribers what moved.
/// </summary>
public sealed class SettingsService(ConfigSnapshots snapshots)
{
    public const string SecretMask = "********";

    /// <summary>Computed or owned elsewhere: shown but never written.</summary>
    private static readonly HashSet<string> ReadOnly = new(StringComparer.Ordinal) { "pid_file", "max_streams_ceiling" };

    /// <summary>Shell metacharacters refused in path settings (upstream's check: they end up in scripts and commands).</summary>
    private static readonly char[] ShellMeta = [';', '|', '&', '$', '`', '<', '>', '\n', '\r', '"', '\''];

    /// <summary>Serialises writers (one read-copy-write-publish at a time); readers never take it.</summary>
    private readonly Lock _lock = new();

    public event Action<IReadOnlyList<ConfigKeyInfo>>? Changed;

    /// <summary>Where a write goes: the loaded file, or ./lightnvr.ini when running on defaults (found there next start).</summary>
    public string TargetFile => snapshots.Current.SourceFile ?? Path.Combine(Environment.CurrentDirectory, ConfigLoader.FileName);

    public byte[] BuildJson(bool isAdmin)
    {
        var config = snapshots.Current; // one snapshot: every value from the same configuration
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            foreach (var key in ConfigSchema.Keys.Where(k => k.Rules.Setting is not null))
            {
                Write(w, config, key, isAdmin);
            }

            w.WriteNumber("max_streams_ceiling", StreamsOptions.MaxStreamsCeiling);
            w.WriteNumber("swap_size", config.Memory.SwapSize / (1024 * 1024));
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>
    /// What each settings key does, for the settings page: the INI section and key, when a change applies
    /// (<c>live</c> or <c>restart</c>), whether it has any effect yet and why not, and its rules. No values.
    /// </summary>
    public static byte[] BuildSchemaJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteStartArray("keys");
            foreach (var key in ConfigSchema.Keys.Where(k => k.Rules.Setting is not null))
            {
                WriteSchema(w, key);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteSchema(Utf8JsonWriter w, ConfigKeyInfo key)
    {
        var rules = key.Rules;
        w.WriteStartObject();
        w.WriteString("setting", rules.Setting);
        w.WriteString("section", key.Section);
        w.WriteString("key", key.Key);
        w.WriteString("applies", rules.Applies == ConfigApplies.Live ? "live" : "restart");
        w.WriteBoolean("in_effect", rules.NoEffect is null);
        if (rules.NoEffect is not null)
        {
            w.WriteString("no_effect", rules.NoEffect);
        }

        w.WriteBoolean("secret", rules.IsSecret);
        if (rules.Choices.Length > 0)
        {
            w.WriteStartArray("choices");
            foreach (var c in rules.Choices)
            {
                w.WriteStringValue(c);
            }

            w.WriteEndArray();
        }

        if (rules.Min != long.MinValue)
        {
            w.WriteNumber("min", rules.Min);
        }

        if (rules.Max != long.MaxValue)
        {
            w.WriteNumber("max", rules.Max);
        }

        w.WriteEndObject();
    }

    public SettingsUpdate Apply(string body) => Apply(Encoding.UTF8.GetBytes(body));

    /// <summary>Applies a UTF-8 JSON body (the endpoint has bounded its size and checked its encoding).</summary>
    public SettingsUpdate Apply(ReadOnlyMemory<byte> body)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body, StrictJson.DocumentOptions);
        }
        catch (JsonException)
        {
            return SettingsUpdate.Fail(StrictJson.Describe(body));
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return SettingsUpdate.Fail("Invalid JSON in request body: expected an object");
            }

            var updates = new List<(ConfigKeyInfo Key, object Value)>();
            foreach (var field in doc.RootElement.EnumerateObject())
            {
                if (ReadOnly.Contains(field.Name) || ConfigSchema.FindSetting(field.Name) is not { } key)
                {
                    continue;
                }

                if (key.Rules.IsSecret && field.Value.ValueKind == JsonValueKind.String && field.Value.GetString() == SecretMask)
                {
                    continue;
                }

                if (Convert(field.Name, key, field.Value, out var value) is { } error)
                {
                    return SettingsUpdate.Fail(error);
                }

                updates.Add((key, value));
            }

            return Commit(updates);
        }
    }

    private SettingsUpdate Commit(List<(ConfigKeyInfo Key, object Value)> updates)
    {
        lock (_lock)
        {
            var current = snapshots.Current;
            var changed = updates.Where(u => !Equals(u.Key.GetValue(current), u.Value)).ToList();
            var next = ConfigSnapshots.Copy(current); // not published yet: nobody else sees it
            foreach (var (key, value) in changed)
            {
                key.SetValue(next, value);
            }

            var file = TargetFile;
            try
            {
                ConfigLoader.CheckConsistency(next, "settings");
                if (changed.Count > 0)
                {
                    var doc = File.Exists(file) ? IniDocument.Load(file) : IniDocument.Parse("");
                    foreach (var (key, value) in changed)
                    {
                        doc.Set(key.Section, key.Key, key.Format(value));
                    }

                    if (doc.Save(file, LoadError) is { } unloadable)
                    {
                        return SettingsUpdate.Fail($"Not saved: {file} would not load any more: {unloadable}", 409);
                    }
                }
            }
            catch (ConfigException e)
            {
                return SettingsUpdate.Fail(e.Message.Replace("settings: ", "", StringComparison.Ordinal));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return SettingsUpdate.Fail("Failed to save configuration", 500);
            }

            var keys = changed.Select(c => c.Key).ToList();
            if (keys.Count > 0)
            {
                snapshots.Publish(next, keys);
            }

            Changed?.Invoke(keys);
            return new SettingsUpdate(200, null, keys.Any(k => k.Rules.Applies == ConfigApplies.Restart),
                keys.Select(k => k.Rules.Setting!).ToList());
        }
    }

    /// <summary>
    /// Loads the would-be file with the real loader before it replaces the old one (no environment overrides: the file
    /// must stand on its own), so the server never writes a file its next start refuses. Null when it loads.
    /// </summary>
    private string? LoadError(string tempFile)
    {
        try
        {
            ConfigLoader.Load(tempFile, new Dictionary<string, string>(), Path.GetDirectoryName(tempFile)!);
            return null;
        }
        catch (ConfigException e)
        {
            return e.Message.Replace(tempFile, TargetFile, StringComparison.Ordinal);
        }
    }

    /// <summary>JSON value → typed value; an error message naming the field, or null.</summary>
    private static string? Convert(string name, ConfigKeyInfo key, JsonElement json, out object value)
    {
        value = "";
        string error;
        if (key.ValueType == typeof(bool))
        {
            if (json.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return $"Invalid type for {name}: expected true or false";
            }

            value = json.GetBoolean();
            return null;
        }

        if (key.ValueType == typeof(int) || key.ValueType == typeof(long))
        {
            if (json.ValueKind != JsonValueKind.Number || !json.TryGetInt64(out var n))
            {
                return $"Invalid type for {name}: expected a whole number";
            }

            return key.TryNumber(n, out value, out error) ? null : $"{name} {error}";
        }

        if (json.ValueKind != JsonValueKind.String)
        {
            return $"Invalid type for {name}: expected a string";
        }

        // Trimmed as the INI loader trims (ConfigKeyInfo.TryParse): the live value is the one a restart reads back.
        var s = json.GetString()!.Trim();
        if (s.Any(char.IsControl))
        {
            // A line break would start a new INI line (another key, even another section); NUL and the rest end up in
            // files, logs and commands.
            return $"{name} must not contain control characters (line breaks, tabs, NUL)";
        }

        if (!key.TryString(s, out value, out error))
        {
            return $"{name} {error}";
        }

        if (key.Rules.IsPath && s.Length > 0 && (!Path.IsPathRooted(s) || s.IndexOfAny(ShellMeta) >= 0))
        {
            return $"{name} must be an absolute path without shell metacharacters";
        }

        if (name == "trusted_proxy_cidrs" && s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .FirstOrDefault(c => !IPNetwork.TryParse(c, out _) && !IPAddress.TryParse(c, out _)) is { } bad)
        {
            return $"trusted_proxy_cidrs has an invalid CIDR: {bad}";
        }

        return null;
    }

    private static void Write(Utf8JsonWriter w, LightNvrConfig config, ConfigKeyInfo key, bool isAdmin)
    {
        var name = key.Rules.Setting!;
        switch (key.GetValue(config))
        {
            case bool b:
                w.WriteBoolean(name, b);
                break;
            case int i:
                w.WriteNumber(name, i);
                break;
            case long l:
                w.WriteNumber(name, l);
                break;
            case string s when key.Rules.IsSecret:
                w.WriteString(name, s.Length > 0 ? SecretMask : "");
                break;
            case string s when key.Rules.IsPath && !isAdmin:
                w.WriteString(name, "");
                break;
            case var other:
                w.WriteString(name, Logging.UrlRedaction.Redact(other.ToString()));
                break;
        }
    }
}
