using LightNvr.Config;
using LightNvr.Testing;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Config;

public class ConfigLoaderTests : IDisposable
{
    private static readonly Dictionary<string, string> NoEnv = [];
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private ConfigLoadResult Load(string ini, IReadOnlyDictionary<string, string>? env = null) =>
        ConfigLoader.Load(_dir.File("lightnvr.ini", ini), env ?? NoEnv, "/");

    private ConfigException LoadFails(string ini) => Assert.Throws<ConfigException>(() => Load(ini));

    [Fact]
    public void Binds_upstream_keys_of_every_type()
    {
        var c = Load("""
            [general]
            log_level = 3
            [web]
            port = 9090
            bind_ip = 127.0.0.1
            auth_enabled = no
            username = "boss"
            [storage]
            max_size = 10737418240
            mp4_directory_format = flat
            thumbnails_per_recording = 1
            [go2rtc]
            rtsp_port = 18554
            webrtc_port = 18555
            [mqtt]
            ha_discovery_enabled = true
            [demo]
            camera = true
            """).Config;
        Assert.Equal(3, c.General.LogLevel);
        Assert.Equal(9090, c.Web.Port);
        Assert.Equal("127.0.0.1", c.Web.BindIp);
        Assert.False(c.Web.AuthEnabled);
        Assert.Equal("boss", c.Web.Username);
        Assert.Equal(10737418240L, c.Storage.MaxSize);
        Assert.Equal("flat", c.Storage.Mp4DirectoryFormat);
        Assert.Equal(1, c.Storage.ThumbnailsPerRecording);
        Assert.Equal(18554, c.Go2rtc.RtspPort);
        Assert.Equal(18555, c.Go2rtc.WebrtcListenPort);
        Assert.True(c.Mqtt.HaDiscovery);
        Assert.True(c.Demo.Camera);
    }

    [Fact]
    public void Every_section_and_key_maps_to_snake_case_names()
    {
        var ids = ConfigSchema.Keys.Select(k => k.Id).ToHashSet();
        Assert.Contains("[web] bind_ip", ids);
        Assert.Contains("[storage] mp4_directory_format", ids);
        Assert.Contains("[api_detection] pre_detection_buffer", ids);
        Assert.Contains("[go2rtc] webrtc_connection_timeout_ms", ids);
        Assert.Contains("[detection_engine] threads", ids);
        Assert.Contains("[demo] camera", ids);
        Assert.Equal(ids.Count, ConfigSchema.Keys.Count);
    }

    public static TheoryData<string> RangedKeys()
    {
        var data = new TheoryData<string>();
        foreach (var k in ConfigSchema.Keys.Where(k => k.Rules.Min != long.MinValue || k.Rules.Max != long.MaxValue))
        {
            data.Add(k.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RangedKeys))]
    public void Out_of_range_names_file_line_key_and_range(string id)
    {
        var key = ConfigSchema.Keys.Single(k => k.Id == id);
        foreach (var bad in new[] { key.Rules.Min == long.MinValue ? (long?)null : key.Rules.Min - 1, key.Rules.Max == long.MaxValue ? null : key.Rules.Max + 1 })
        {
            if (bad is null)
            {
                continue;
            }

            var e = LoadFails($"; comment\n[{key.Section}]\n{key.Key} = {bad}\n");
            Assert.Contains(Path.Combine(_dir.Path, "lightnvr.ini") + ":3:", e.Message);
            Assert.Contains($"[{key.Section}] {key.Key}", e.Message);
            Assert.Contains(key.RangeText(), e.Message);
        }
    }

    [Theory]
    [InlineData("[web]\nport = abc\n", ":2: [web] port = 'abc': must be a whole number between 1 and 65535")]
    [InlineData("[web]\nport = 8080.5\n", ":2: [web] port")]
    [InlineData("[web]\nauth_enabled = maybe\n", ":2: [web] auth_enabled = 'maybe': must be true or false")]
    [InlineData("[web]\nbind_ip = localhost\n", ":2: [web] bind_ip = 'localhost': must be an IP address")]
    [InlineData("[storage]\nmp4_directory_format = daily\n", ":2: [storage] mp4_directory_format = 'daily': must be one of flat, year_month, year_month_day")]
    [InlineData("[storage]\nthumbnails_per_recording = 2\n", ":2: [storage] thumbnails_per_recording = '2': must be one of 1, 3")]
    [InlineData("[general]\nsyslog_facility = LOG_KERN\n", ":2: [general] syslog_facility")]
    [InlineData("[api_detection]\nbackend = yolo\n", ":2: [api_detection] backend")]
    [InlineData("[web]\nport 8080\n", ":2: expected 'key = value' or '[section]'")]
    [InlineData("\n\n[web\n", ":3: a section header must look like [name]")]
    [InlineData("[storage]\nmax_size = 99999999999999999999\n", ":2: [storage] max_size")]
    public void Invalid_values_stop_with_file_line_key_and_allowed(string ini, string expected)
    {
        var e = LoadFails(ini);
        Assert.Contains(expected, e.Message);
        Assert.StartsWith(Path.Combine(_dir.Path, "lightnvr.ini"), e.Message);
    }

    [Fact]
    public void Pressure_thresholds_must_be_ordered()
    {
        var e = LoadFails("[storage]\npressure_warning_pct = 10\npressure_critical_pct = 10\n");
        Assert.Contains("pressure_emergency_pct (5) < pressure_critical_pct (10) < pressure_warning_pct (10)", e.Message);
    }

    [Fact]
    public void All_live_modes_disabled_is_refused()
    {
        var e = LoadFails("[web]\nwebrtc_disabled = true\nhls_disabled = true\nmse_disabled = true\n");
        Assert.Contains("at least one live mode", e.Message);
    }

    [Fact]
    public void Unknown_sections_and_keys_and_repeats_warn_but_load()
    {
        var r = Load("stray = 1\n[web]\nport = 1\nportt = 2\nport = 3\n[extras]\nx = 1\n");
        Assert.Equal(3, r.Config.Web.Port);
        Assert.Contains(r.Warnings, w => w.EndsWith(":1: key 'stray' outside any [section] ignored", StringComparison.Ordinal));
        Assert.Contains(r.Warnings, w => w.EndsWith(":4: unknown key 'portt' in [web] ignored", StringComparison.Ordinal));
        Assert.Contains(r.Warnings, w => w.EndsWith(":5: [web] port repeats line 3; the later value wins", StringComparison.Ordinal));
        Assert.Contains(r.Warnings, w => w.EndsWith(":6: unknown section [extras] ignored", StringComparison.Ordinal));
        Assert.Equal(4, r.Warnings.Count);
    }

    [Fact]
    public void Relative_paths_resolve_against_the_config_folder()
    {
        var file = _dir.File("etc/lightnvr.ini", "[database]\npath = db/nvr.db\n[storage]\npath = /abs/rec\n");
        var c = ConfigLoader.Load(file, NoEnv, "/somewhere/else").Config;
        Assert.Equal(Path.Combine(_dir.Path, "etc", "db", "nvr.db"), c.Database.Path);
        Assert.Equal("/abs/rec", c.Storage.Path);
        Assert.Equal(Path.Combine(_dir.Path, "etc", "data", "lightnvr.pid"), c.General.PidFile);
        Assert.Equal("", c.Web.Root);
    }

    [Fact]
    public void Search_order_prefers_the_explicit_file_then_the_working_directory()
    {
        var explicitFile = _dir.File("a/custom.ini", "[web]\nport = 1111\n");
        var cwd = Path.Combine(_dir.Path, "cwd");
        _dir.File("cwd/lightnvr.ini", "[web]\nport = 2222\n");
        Assert.Equal(1111, ConfigLoader.Load(explicitFile, NoEnv, cwd).Config.Web.Port);
        var local = ConfigLoader.Load(null, NoEnv, cwd).Config;
        Assert.Equal(2222, local.Web.Port);
        Assert.Equal(Path.Combine(cwd, "lightnvr.ini"), local.SourceFile);
    }

    [Fact]
    public void No_file_means_defaults_with_data_under_the_working_directory()
    {
        if (File.Exists(ConfigLoader.SystemFile))
        {
            return; // a system install on this machine would be found (search order), so defaults cannot be observed
        }

        var cwd = Path.Combine(_dir.Path, "empty");
        Directory.CreateDirectory(cwd);
        var c = ConfigLoader.Load(null, NoEnv, cwd).Config;
        Assert.Null(c.SourceFile);
        Assert.Equal(Path.Combine(cwd, "data", "lightnvr.db"), c.Database.Path);
        Assert.Equal(Path.Combine(cwd, "data", "recordings"), c.Storage.Path);
        Assert.Equal("0.0.0.0", c.Web.BindIp);
        Assert.Equal(8080, c.Web.Port);
        Assert.Equal(8554, c.Go2rtc.RtspPort);
    }

    [Fact]
    public void Missing_explicit_file_is_an_error()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(Path.Combine(_dir.Path, "nope.ini"), NoEnv, "/"));
        Assert.Contains("nope.ini: config file not found", e.Message);
    }
}
