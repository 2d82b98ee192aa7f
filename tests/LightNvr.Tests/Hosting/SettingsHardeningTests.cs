using System.Net;
using System.Text;
using LightNvr.Api.System;
using LightNvr.Config;
using LightNvr.Hosting;
using LightNvr.Testing;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Hosting;

/// <summary>
/// POST /api/settings over real HTTP against a real INI file: the body cap holds for chunked bodies, values with
/// control characters are refused before anything is written, and what is written always loads again.
/// </summary>
public sealed class SettingsHardeningTests : IAsyncLifetime
{
    private const string Ini = "; test config\n[general]\nlog_level = 2\n[web]\nport = 8080 ; the port\n[mqtt]\ntopic_prefix = nvr\n";

    private readonly TempFolder _dir = new();
    private TestServerHost _host = null!;
    private HttpClient _admin = null!;
    private string _file = "";

    public async Task InitializeAsync()
    {
        _file = _dir.File("lightnvr.ini", Ini);
        LightNvrConfig? config = null;
        _host = await TestServerHost.StartAsync(
            configure: c => config = c with
            {
                SourceFile = _file,
                General = c.General with { LogLevel = 2 }, // as the file says
                Mqtt = c.Mqtt with { TopicPrefix = "nvr" },
            },
            configureServices: s => s.AddLightNvrHostServices(config!),
            map: app => app.MapSettingsEndpoints());
        _admin = _host.BasicClient(TestServerHost.AdminUser, TestServerHost.AdminPassword);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_chunked_body_over_the_cap_is_a_413_and_nothing_is_written()
    {
        // No Content-Length: HttpClient sends a stream of unknown length chunked, which skipped the old length check.
        var json = Encoding.UTF8.GetBytes($$"""{"mqtt_topic_prefix":"{{new string('x', 2 * 1024 * 1024)}}"}""");
        using var content = new StreamContent(new UnknownLengthStream(json));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await _admin.PostAsync("/api/settings", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(Ini, await File.ReadAllTextAsync(_file));
        Assert.Equal("nvr", _host.Config.Mqtt.TopicPrefix);
    }

    [Theory]
    [InlineData("mqtt_topic_prefix", "nvr\\n[general]\\nlog_file = /tmp/injected.log")]
    [InlineData("mqtt_topic_prefix", "nvr\\r\\nlog_level = 4")]
    [InlineData("mqtt_client_id", "a\\u0000b")]
    [InlineData("mqtt_broker_host", "host\\tname")]
    public async Task A_value_with_control_characters_is_a_400_and_the_file_is_unchanged(string field, string value)
    {
        using var response = await _admin.PostAsync("/api/settings", TestServerHost.Json($$"""{"{{field}}":"{{value}}"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"{field} must not contain control characters", await response.Content.ReadAsStringAsync(),
            StringComparison.Ordinal);
        Assert.Equal(Ini, await File.ReadAllTextAsync(_file));
        ConfigLoader.Load(_file, new Dictionary<string, string>(), _dir.Path); // still loads
    }

    [Fact]
    public async Task A_valid_change_round_trips_into_a_file_the_loader_accepts()
    {
        using var response = await _admin.PostAsync("/api/settings",
            TestServerHost.Json("""{"mqtt_topic_prefix":"home; cameras #1","log_level":3,"web_port":9090}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var loaded = ConfigLoader.Load(_file, new Dictionary<string, string>(), _dir.Path);
        Assert.Equal("home; cameras #1", loaded.Config.Mqtt.TopicPrefix);
        Assert.Equal(3, loaded.Config.General.LogLevel);
        Assert.Equal(9090, loaded.Config.Web.Port);
        Assert.Contains("port = 9090 ; the port", await File.ReadAllTextAsync(_file), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp", SearchOption.AllDirectories)); // the temporary file was renamed
    }

    [Fact]
    public async Task A_change_that_would_leave_a_file_the_loader_refuses_is_not_written()
    {
        // The file was edited by hand since start-up and no longer loads: a settings change must not rewrite it as if
        // all were well (the server would then refuse to start with a file it wrote itself).
        var broken = Ini + "[storage]\nretention_days = many\n";
        await File.WriteAllTextAsync(_file, broken);
        using var response = await _admin.PostAsync("/api/settings", TestServerHost.Json("""{"log_level":3}"""));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("retention_days", body, StringComparison.Ordinal);
        Assert.Contains(_file, body, StringComparison.Ordinal);
        Assert.Equal(broken, await File.ReadAllTextAsync(_file));
        Assert.Equal(2, _host.Config.General.LogLevel); // the live configuration was not changed either
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Duplicate_keys_and_invalid_utf8_are_a_400_and_nothing_is_written()
    {
        using var dup = await _admin.PostAsync("/api/settings", TestServerHost.Json("""{"log_level":3,"log_level":4}"""));
        Assert.Equal(HttpStatusCode.BadRequest, dup.StatusCode);
        using var bad = new ByteArrayContent([.. "{\"mqtt_topic_prefix\":\"a"u8, 0xFF, .. "\"}"u8]);
        bad.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var utf8 = await _admin.PostAsync("/api/settings", bad);
        Assert.Equal(HttpStatusCode.BadRequest, utf8.StatusCode);
        Assert.Equal(Ini, await File.ReadAllTextAsync(_file));
    }

    [Fact]
    public async Task Schema_says_per_key_when_a_change_applies_and_which_keys_do_nothing_yet()
    {
        using var response = await _admin.GetAsync("/api/settings/schema");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var keys = doc.RootElement.GetProperty("keys").EnumerateArray().ToDictionary(k => k.GetProperty("setting").GetString()!);

        var logLevel = keys["log_level"];
        Assert.Equal("general", logLevel.GetProperty("section").GetString());
        Assert.Equal("live", logLevel.GetProperty("applies").GetString());
        Assert.True(logLevel.GetProperty("in_effect").GetBoolean());
        Assert.Equal(3, logLevel.GetProperty("max").GetInt64());

        Assert.Equal("restart", keys["web_port"].GetProperty("applies").GetString());
        var syslog = keys["syslog_enabled"];
        Assert.False(syslog.GetProperty("in_effect").GetBoolean());
        Assert.StartsWith("stored, no effect yet", syslog.GetProperty("no_effect").GetString(), StringComparison.Ordinal);
        Assert.True(keys["mqtt_password"].GetProperty("secret").GetBoolean());

        // Every key the settings object carries is described, and the schema carries no values.
        using var settings = await _admin.GetAsync("/api/settings");
        using var values = System.Text.Json.JsonDocument.Parse(await settings.Content.ReadAsStringAsync());
        var described = ConfigSchema.Keys.Where(k => k.Rules.Setting is not null).Select(k => k.Rules.Setting!).ToHashSet();
        Assert.Equal(described, keys.Keys.ToHashSet());
        Assert.All(values.RootElement.EnumerateObject().Where(p => described.Contains(p.Name)), p => Assert.Contains(p.Name, keys.Keys));
        Assert.DoesNotContain("\"value\"", doc.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    /// <summary>A readable stream that does not say its length, so HttpClient sends it with chunked transfer encoding.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
