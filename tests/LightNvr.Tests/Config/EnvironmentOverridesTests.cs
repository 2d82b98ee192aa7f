using LightNvr.Config;
using LightNvr.Testing;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Config;

public class EnvironmentOverridesTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private ConfigLoadResult Load(string ini, Dictionary<string, string> env) =>
        ConfigLoader.Load(_dir.File("lightnvr.ini", ini), env, "/");

    [Fact]
    public void Upstream_names_override_the_file()
    {
        var c = Load("[web]\nport = 8080\n[general]\nlog_level = 2\n", new()
        {
            ["LIGHTNVR_WEB_PORT"] = "9191",
            ["LIGHTNVR_DB_PATH"] = "/db/x.db",
            ["LIGHTNVR_STORAGE_PATH"] = "/rec",
            ["LIGHTNVR_LOG_LEVEL"] = "0",
            ["LIGHTNVR_WEB_BIND_IP"] = "127.0.0.1",
            ["LIGHTNVR_TURN_PASSWORD"] = "t",
            ["LIGHTNVR_GO2RTC_WEBRTC_LISTEN_PORT"] = "9555",
        }).Config;
        Assert.Equal(9191, c.Web.Port);
        Assert.Equal("/db/x.db", c.Database.Path);
        Assert.Equal("/rec", c.Storage.Path);
        Assert.Equal(0, c.General.LogLevel);
        Assert.Equal("127.0.0.1", c.Web.BindIp);
        Assert.Equal("t", c.Go2rtc.TurnPassword);
        Assert.Equal(9555, c.Go2rtc.WebrtcListenPort);
    }

    [Fact]
    public void Generic_section_key_form_works_for_any_key()
    {
        var c = Load("", new()
        {
            ["LIGHTNVR_GO2RTC_RTSP_PORT"] = "18554",
            ["LIGHTNVR_DEMO_CAMERA"] = "true",
            ["LIGHTNVR_API_DETECTION_BACKEND"] = "tflite",
            ["LIGHTNVR_DETECTION_ENGINE_THREADS"] = "4",
        }).Config;
        Assert.Equal(18554, c.Go2rtc.RtspPort);
        Assert.True(c.Demo.Camera);
        Assert.Equal("tflite", c.ApiDetection.Backend);
        Assert.Equal(4, c.DetectionEngine.Threads);
    }

    [Fact]
    public void Invalid_override_names_the_variable_key_and_range()
    {
        var e = Assert.Throws<ConfigException>(() => Load("", new() { ["LIGHTNVR_WEB_PORT"] = "70000" }));
        Assert.Equal("environment LIGHTNVR_WEB_PORT ([web] port) = '70000': must be between 1 and 65535", e.Message);
    }

    [Fact]
    public void Unknown_variables_warn_and_other_variables_are_ignored()
    {
        var r = Load("", new() { ["LIGHTNVR_NOPE"] = "1", ["PATH"] = "/bin", ["LIGHTNVR_DAEMON_CHILD"] = "1" });
        Assert.Equal(["environment LIGHTNVR_NOPE: not a known setting, ignored"], r.Warnings);
    }

    [Fact]
    public void Relative_override_paths_resolve_against_the_config_folder()
    {
        var c = Load("", new() { ["LIGHTNVR_DB_PATH"] = "db/x.db" }).Config;
        Assert.Equal(Path.Combine(_dir.Path, "db", "x.db"), c.Database.Path);
    }
}
