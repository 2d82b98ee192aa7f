using System.Text;
using System.Text.Json;
using LightNvr.Config;
using LightNvr.Testing;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Config;

public class SettingsServiceTests : IDisposable
{
    private const string Ini = """
        ; LightNVR test config
        [web]
        ; the port the UI listens on
        port = 8080 ; keep in sync with the firewall
        bind_ip = 0.0.0.0

        [mqtt]
        enabled = false
        password = hunter2
        [go2rtc]
        turn_server_url = turn://u:p@turn.example:3478
        turn_auth_secret = coturn-shared-secret
        """;

    private readonly TempFolder _dir = new();
    private readonly string _file;
    private readonly ConfigSnapshots _snapshots;
    private readonly SettingsService _settings;

    public SettingsServiceTests()
    {
        _file = _dir.File("lightnvr.ini", Ini + "\n");
        _snapshots = new ConfigSnapshots(ConfigLoader.Load(_file, new Dictionary<string, string>(), "/").Config);
        _settings = new SettingsService(_snapshots);
    }

    public void Dispose() => _dir.Dispose();

    private JsonElement Get(bool admin) => JsonDocument.Parse(Encoding.UTF8.GetString(_settings.BuildJson(admin))).RootElement;

    [Fact]
    public void Get_uses_upstream_names_and_masks_secrets()
    {
        var json = Get(admin: true);
        Assert.Equal(8080, json.GetProperty("web_port").GetInt32());
        Assert.Equal("0.0.0.0", json.GetProperty("web_bind_ip").GetString());
        Assert.Equal("********", json.GetProperty("mqtt_password").GetString());
        Assert.Equal("", json.GetProperty("turn_password").GetString());
        Assert.Equal("********", json.GetProperty("turn_auth_secret").GetString());
        Assert.Equal("turn://***@turn.example:3478", json.GetProperty("turn_server_url").GetString());
        Assert.Equal(256, json.GetProperty("max_streams_ceiling").GetInt32());
        Assert.Equal(_snapshots.Current.Database.Path, json.GetProperty("db_path").GetString());
        Assert.DoesNotContain("hunter2", json.GetRawText());
        Assert.DoesNotContain("coturn-shared-secret", json.GetRawText());
        Assert.DoesNotContain("coturn-shared-secret", Encoding.UTF8.GetString(_settings.BuildJson(isAdmin: false)));
    }

    [Fact]
    public void Non_admins_see_no_filesystem_paths()
    {
        var json = Get(admin: false);
        foreach (var name in new[] { "db_path", "storage_path", "log_file", "pid_file", "web_root", "models_path" })
        {
            Assert.Equal("", json.GetProperty(name).GetString());
        }

        Assert.DoesNotContain(_dir.Path, json.GetRawText());
        Assert.Equal(8080, json.GetProperty("web_port").GetInt32());
    }

    [Fact]
    public void Post_writes_changed_keys_back_preserving_comments()
    {
        var r = _settings.Apply("""{"web_port":9090,"mqtt_enabled":true,"mqtt_password":"********","retention_days":7,"max_streams_ceiling":1}""");
        Assert.Null(r.Error);
        Assert.True(r.RestartRequired);
        Assert.Equal(9090, _snapshots.Current.Web.Port);
        Assert.Equal("hunter2", _snapshots.Current.Mqtt.Password);
        var text = File.ReadAllText(_file);
        Assert.Equal(Ini.Replace("port = 8080 ;", "port = 9090 ;", StringComparison.Ordinal).Replace("enabled = false", "enabled = true", StringComparison.Ordinal)
            + "\n\n[storage]\nretention_days = 7\n", text);
        var reloaded = ConfigLoader.Load(_file, new Dictionary<string, string>(), "/").Config;
        Assert.Equal(9090, reloaded.Web.Port);
        Assert.Equal(7, reloaded.Storage.RetentionDays);
    }

    [Fact]
    public void Post_of_a_live_key_does_not_need_a_restart()
    {
        var changed = new List<string>();
        _settings.Changed += keys => changed.AddRange(keys.Select(k => k.Id));
        var r = _settings.Apply("""{"log_level":3}""");
        Assert.False(r.RestartRequired);
        Assert.Equal(["[general] log_level"], changed);
    }

    [Theory]
    [InlineData("{", 400, "Invalid JSON in request body")]
    [InlineData("[1]", 400, "Invalid JSON in request body: expected an object")]
    [InlineData("""{"web_port":"80"}""", 400, "Invalid type for web_port: expected a whole number")]
    [InlineData("""{"web_port":80.5}""", 400, "Invalid type for web_port: expected a whole number")]
    [InlineData("""{"web_port":0}""", 400, "web_port must be between 1 and 65535")]
    [InlineData("""{"web_auth_enabled":"yes"}""", 400, "Invalid type for web_auth_enabled: expected true or false")]
    [InlineData("""{"web_bind_ip":5}""", 400, "Invalid type for web_bind_ip: expected a string")]
    [InlineData("""{"web_bind_ip":"host"}""", 400, "web_bind_ip must be an IP address such as 0.0.0.0, 127.0.0.1 or ::")]
    [InlineData("""{"retention_days":366}""", 400, "retention_days must be between 0 and 365")]
    [InlineData("""{"mp4_directory_format":"daily"}""", 400, "mp4_directory_format must be one of flat, year_month, year_month_day")]
    [InlineData("""{"thumbnails_per_recording":2}""", 400, "thumbnails_per_recording must be one of 1, 3")]
    [InlineData("""{"storage_path":"rel/path"}""", 400, "storage_path must be an absolute path without shell metacharacters")]
    [InlineData("""{"db_post_backup_script":"/x;rm -rf /"}""", 400, "db_post_backup_script must be an absolute path without shell metacharacters")]
    [InlineData("""{"trusted_proxy_cidrs":"10.0.0.0/8, nope"}""", 400, "trusted_proxy_cidrs has an invalid CIDR: nope")]
    [InlineData("""{"webrtc_disabled":true,"hls_disabled":true,"mse_disabled":true}""", 400, "at least one live mode must stay enabled")]
    public void Post_rejects_with_the_field_named(string body, int status, string error)
    {
        var before = File.ReadAllText(_file);
        var r = _settings.Apply(body);
        Assert.Equal(status, r.Status);
        Assert.Contains(error, r.Error);
        Assert.Equal(before, File.ReadAllText(_file));
        Assert.Equal(8080, _snapshots.Current.Web.Port);
        Assert.False(_snapshots.Current.Web.WebrtcDisabled);
    }
}
