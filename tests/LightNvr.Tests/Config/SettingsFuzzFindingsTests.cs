using LightNvr.Config;
using LightNvr.Testing;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Config;

/// <summary>
/// Inputs the json-settings fuzz target found (tests/LightNvr.Fuzz, docs/robustness.md "Fuzzing"): settings the API
/// accepted that the INI file could not give back on the next start. Each failed before its fix.
/// </summary>
public sealed class SettingsFuzzFindingsTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly string _file;
    private readonly ConfigSnapshots _snapshots;
    private readonly SettingsService _settings;

    public SettingsFuzzFindingsTests()
    {
        _file = _dir.File("lightnvr.ini", "[web]\nport = 8080\n");
        _snapshots = new ConfigSnapshots(ConfigLoader.Load(_file, new Dictionary<string, string>(), "/").Config);
        _settings = new SettingsService(_snapshots);
    }

    public void Dispose() => _dir.Dispose();

    private LightNvrConfig Restart() => ConfigLoader.Load(_file, new Dictionary<string, string>(), "/").Config;

    /// <summary>
    /// A line break in a string setting was written raw: the value ended the line and the rest became lines of the
    /// file, here a [web] section that changes the port on the next start (the file also lost the value itself).
    /// </summary>
    [Fact]
    public void A_line_break_in_a_value_is_refused_and_cannot_add_lines_to_the_file()
    {
        var before = File.ReadAllText(_file);
        var r = _settings.Apply("""{"api_detection_url":"http://x\n[web]\nport = 1"}""");

        Assert.Equal(400, r.Status);
        Assert.Contains("line break", r.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(_file));
        Assert.Equal("http://localhost:8000/detect", _snapshots.Current.ApiDetection.Url); // reverted to the default
        Assert.Equal(8080, Restart().Web.Port);
    }

    [Fact]
    public void Ini_set_refuses_a_carriage_return_too()
    {
        var doc = IniDocument.Parse("[a]\nk = v\n");
        Assert.Throws<ConfigException>(() => doc.Set("a", "k", "x\ry"));
        Assert.Equal("v", doc.Find("a", "k")!.Value);
    }

    /// <summary>
    /// Surrounding spaces were kept live but written quoted and trimmed by the loader on the next start, so the value
    /// changed across a restart. Settings now trim as the loader does.
    /// </summary>
    [Fact]
    public void Surrounding_spaces_are_trimmed_so_the_value_survives_a_restart()
    {
        var r = _settings.Apply("""{"api_detection_url":"  http://127.0.0.1:9000/detect "}""");

        Assert.Equal(200, r.Status);
        Assert.Equal("http://127.0.0.1:9000/detect", _snapshots.Current.ApiDetection.Url);
        Assert.Equal(_snapshots.Current.ApiDetection.Url, Restart().ApiDetection.Url);
    }

    /// <summary>
    /// Found by the INI write property (Properties/IniWriteProperties): an existing key with an inline comment set to
    /// "" was written as <c>key =  ; comment</c>, which reads back as the value "; comment".
    /// </summary>
    [Fact]
    public void An_emptied_value_before_an_inline_comment_reads_back_empty()
    {
        var doc = IniDocument.Parse("[mqtt]\npassword = hunter2 ; keep secret\n");
        doc.Set("mqtt", "password", "");

        Assert.Equal("password = \"\" ; keep secret", doc.Lines[1].Text);
        Assert.Equal("", IniDocument.Parse(doc.ToString()).Find("mqtt", "password")!.Value);
    }
}
