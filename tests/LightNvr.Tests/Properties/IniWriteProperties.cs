using FsCheck;
using FsCheck.Xunit;
using LightNvr.Config;
using LightNvr.Testing;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Properties;

/// <summary>
/// INI write then read: <see cref="IniDocument.Set"/> either writes a value that reads back as itself, leaving every
/// other line as it was, or refuses it with <see cref="ConfigException"/> (both quote kinds where quoting is needed, a
/// line break); and a string setting that <see cref="SettingsService.Apply"/> accepts is the value the next start reads.
/// Values are drawn from an alphabet of the characters INI syntax gives meaning to.
/// </summary>
public sealed class IniWriteProperties
{
    private const string Alphabet = "ab=:;#[] \t\"'\\\r\n\u00e9\u00a0";

    private const string File = "; head\n[general]\nlog_level = 2 ; inline\n\n[web]\nport: 8080\n# tail\n";

    private static string Value(string? raw) => new((raw ?? "").Select(c => Alphabet[c % Alphabet.Length]).ToArray());

    [Property(MaxTest = 300)]
    public void Set_reads_back_or_refuses(string? raw, bool existingKey)
    {
        var value = Value(raw);
        var doc = IniDocument.Parse(File);
        var (section, key) = existingKey ? ("general", "log_level") : ("mqtt", "broker_host");
        try
        {
            doc.Set(section, key, value);
        }
        catch (ConfigException)
        {
            var needsQuotes = value.Trim() != value || value.StartsWith('"') || value.StartsWith('\'') ||
                value.Where((c, i) => c is ';' or '#' && i > 0 && char.IsWhiteSpace(value[i - 1])).Any();
            Assert.True(value.Contains('\n') || value.Contains('\r') ||
                (needsQuotes && value.Contains('"') && value.Contains('\'')), $"refused <{value}>");
            Assert.Equal(File, doc.ToString());
            return;
        }

        var back = IniDocument.Parse(doc.ToString());
        Assert.Empty(back.Errors);
        Assert.Equal(value, back.Find(section, key)!.Value);
        // Every other line byte for byte (a new key may bring its section header and a blank line before it).
        var others = (IniDocument d) => d.Lines.Where(l => l.Key != key && l.Text.Length > 0 && l.Text != "[mqtt]").Select(l => l.Text);
        Assert.Equal(others(IniDocument.Parse(File)), others(back));
    }

    [Property(MaxTest = 100)]
    public void An_accepted_string_setting_is_what_the_next_start_reads(string? raw)
    {
        using var dir = new TempFolder();
        var path = dir.File("lightnvr.ini", File);
        var config = ConfigLoader.Load(path, new Dictionary<string, string>(), "/").Config;
        var value = Value(raw);
        var body = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["api_detection_url"] = value });

        var snapshots = new ConfigSnapshots(config);
        var r = new SettingsService(snapshots).Apply(body);

        var restarted = ConfigLoader.Load(path, new Dictionary<string, string>(), "/").Config;
        if (r.Status != 200)
        {
            Assert.NotNull(r.Error);
            Assert.Equal(File, System.IO.File.ReadAllText(path));
        }

        Assert.Equal(snapshots.Current.ApiDetection.Url, restarted.ApiDetection.Url);
        Assert.Equal(2, restarted.General.LogLevel);
        Assert.Equal(8080, restarted.Web.Port);
    }
}
