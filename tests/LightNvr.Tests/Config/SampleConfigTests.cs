using LightNvr.Config;

namespace LightNvr.Tests.Config;

/// <summary>The shipped sample and docs/config.md stay in step with the schema.</summary>
public class SampleConfigTests
{
    private static readonly string Root = FindRoot();

    [Fact]
    public void Sample_config_loads_without_errors_or_warnings_and_uses_absolute_system_paths()
    {
        var r = ConfigLoader.Load(Path.Combine(Root, "config", "lightnvr.ini"), new Dictionary<string, string>(), "/");
        Assert.Empty(r.Warnings);
        Assert.Equal("/var/lib/lightnvr/lightnvr.db", r.Config.Database.Path);
        Assert.Equal("/var/lib/lightnvr/recordings", r.Config.Storage.Path);
        Assert.Equal(8554, r.Config.Go2rtc.RtspPort);
    }

    [Fact]
    public void Docs_list_every_key()
    {
        var doc = File.ReadAllText(Path.Combine(Root, "docs", "config.md"));
        var missing = ConfigSchema.Keys.Where(k => !doc.Contains($"| {k.Section} | {k.Key} ", StringComparison.Ordinal)).Select(k => k.Id).ToList();
        Assert.Empty(missing);

        // The last column, Applies, says what ConfigKeyAttribute.Applies says.
        var rows = doc.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToList();
        var wrong = ConfigSchema.Keys
            .Select(k => (Key: k, Row: rows.Single(l => l.StartsWith($"| {k.Section} | {k.Key} ", StringComparison.Ordinal))))
            .Where(x => !x.Row.TrimEnd().EndsWith(x.Key.Rules.Applies == ConfigApplies.Live ? "| live |" : "| restart |", StringComparison.Ordinal))
            .Select(x => $"{x.Key.Id}: {x.Key.Rules.Applies}").ToList();
        Assert.Empty(wrong);
    }

    [Fact]
    public void Docs_in_effect_column_says_what_the_key_declares()
    {
        // "no: <why>" in docs/config.md exactly when ConfigKeyAttribute.NoEffect says <why>; the settings page shows the
        // same text from /api/settings/schema, so the two cannot drift apart.
        var rows = File.ReadAllText(Path.Combine(Root, "docs", "config.md")).Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToList();
        var wrong = new List<string>();
        foreach (var key in ConfigSchema.Keys)
        {
            var cells = rows.Single(l => l.StartsWith($"| {key.Section} | {key.Key} ", StringComparison.Ordinal)).Split('|');
            var inEffect = cells[7].Trim();
            var expected = key.Rules.NoEffect is null ? null : "no: " + key.Rules.NoEffect;
            if (expected is null ? inEffect.StartsWith("no:", StringComparison.Ordinal) : inEffect != expected)
            {
                wrong.Add($"{key.Id}: docs say '{inEffect}', code says '{expected ?? "in effect"}'");
            }
        }

        Assert.Empty(wrong);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LightNvr.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("LightNvr.slnx not found");
    }
}
