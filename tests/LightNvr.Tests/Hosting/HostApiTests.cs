using System.Net;
using System.Text.Json;
using LightNvr.Api.System;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Hosting;
using LightNvr.Logging;
using LightNvr.Testing;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LightNvr.Tests.Hosting;

/// <summary>Health, system and settings endpoints over real HTTP with real auth (TestServerHost), every role.</summary>
public sealed class HostApiTests : IAsyncLifetime
{
    private const string Ini = "; test config\n[web]\nport = 8080 ; the port\n[mqtt]\npassword = hunter2\n";

    private readonly TempFolder _dir = new();
    private TestServerHost _host = null!;
    private readonly Dictionary<string, HttpClient> _clients = [];

    public async Task InitializeAsync()
    {
        var file = _dir.File("lightnvr.ini", Ini);
        LightNvrConfig? config = null;
        _host = await TestServerHost.StartAsync(
            configure: c => config = c with { SourceFile = file, Mqtt = c.Mqtt with { Password = "hunter2" } },
            configureServices: s => s.AddLightNvrHostServices(config!),
            map: app =>
            {
                app.UseLightNvrHosting();
                app.MapHealthEndpoints();
                app.MapSystemEndpoints();
                app.MapSettingsEndpoints();
            });
        await _host.CreateUserAsync("alice", "alice-password", Role.User);
        await _host.CreateUserAsync("victor", "victor-password", Role.Viewer);
        _clients["admin"] = _host.BasicClient(TestServerHost.AdminUser, TestServerHost.AdminPassword);
        _clients["user"] = _host.BasicClient("alice", "alice-password");
        _clients["viewer"] = _host.BasicClient("victor", "victor-password");
        _clients["anonymous"] = _host.Client();
    }

    public async Task DisposeAsync()
    {
        foreach (var c in _clients.Values)
        {
            c.Dispose();
        }

        await _host.DisposeAsync();
        _dir.Dispose();
    }

    // Expected per role, in the order admin, user, viewer, anonymous: A allowed, F 403, U 401.
    [Theory]
    [InlineData("GET", "/api/health", null, "AAAA")]
    [InlineData("GET", "/api/system/status", null, "AAAA")]
    [InlineData("GET", "/api/system", null, "AFFU")]
    [InlineData("GET", "/api/system/info", null, "AFFU")]
    [InlineData("GET", "/api/system/logs", null, "AFFU")]
    [InlineData("POST", "/api/system/logs/clear", null, "AFFU")]
    [InlineData("GET", "/api/settings", null, "AAAU")]
    [InlineData("POST", "/api/settings", "{}", "AFFU")]
    public async Task Roles(string method, string path, string? body, string expected)
    {
        var roles = new[] { "admin", "user", "viewer", "anonymous" };
        for (var i = 0; i < roles.Length; i++)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null)
            {
                request.Content = TestServerHost.Json(body);
            }

            using var response = await _clients[roles[i]].SendAsync(request);
            var status = (int)response.StatusCode;
            switch (expected[i])
            {
                case 'A':
                    Assert.True(status == 200, $"{roles[i]} {method} {path}: {status}");
                    Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
                    break;
                case 'F':
                    Assert.True(status == 403, $"{roles[i]} {method} {path}: {status}");
                    break;
                default:
                    Assert.True(status == 401, $"{roles[i]} {method} {path}: {status}");
                    break;
            }
        }
    }

    [Fact]
    public async Task System_info_has_upstreams_fields_and_process_rss()
    {
        using var doc = JsonDocument.Parse(await _clients["admin"].GetStringAsync("/api/system"));
        var root = doc.RootElement;
        Assert.False(string.IsNullOrEmpty(root.GetProperty("version").GetString()));
        Assert.True(root.GetProperty("cpu").GetProperty("cores").GetInt32() >= 1);
        Assert.True(root.GetProperty("memory").GetProperty("rss").GetInt64() > 1_000_000);
        Assert.True(root.GetProperty("disk").GetProperty("total").GetInt64() > 0);
        Assert.Equal(30, root.GetProperty("global_retention_days").GetInt32());
        Assert.Equal(0, root.GetProperty("streams").GetProperty("total").GetInt32());
        Assert.Equal("LightNVR", root.GetProperty("versions").GetProperty("items")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Logs_filter_by_level_and_clear()
    {
        var sink = _host.Service<LogSink>();
        sink.Write(LogLevel.Information, "T", "an info line", null);
        sink.Write(LogLevel.Error, "T", "an error line rtsp://u:p@cam/1", null);
        using (var doc = JsonDocument.Parse(await _clients["admin"].GetStringAsync("/api/system/logs?level=error&count=10")))
        {
            var logs = doc.RootElement.GetProperty("logs");
            Assert.Equal(1, logs.GetArrayLength());
            Assert.Equal("ERROR", logs[0].GetProperty("level").GetString());
            Assert.Equal("an error line rtsp://***@cam/1", logs[0].GetProperty("message").GetString());
            Assert.Equal("2026-01-01 12:00:00", logs[0].GetProperty("timestamp").GetString());
            Assert.Equal("INFO", doc.RootElement.GetProperty("level").GetString());
        }

        var clear = await _clients["admin"].PostAsync("/api/system/logs/clear", null);
        Assert.Equal("{\"success\":true,\"message\":\"Logs cleared successfully\"}", await clear.Content.ReadAsStringAsync());
        Assert.Equal(0, sink.Ring.Count);
    }

    [Fact]
    public async Task Settings_hide_paths_from_viewers_and_secrets_from_everyone()
    {
        using var viewer = JsonDocument.Parse(await _clients["viewer"].GetStringAsync("/api/settings"));
        Assert.Equal("", viewer.RootElement.GetProperty("db_path").GetString());
        Assert.Equal("********", viewer.RootElement.GetProperty("mqtt_password").GetString());
        using var admin = JsonDocument.Parse(await _clients["admin"].GetStringAsync("/api/settings"));
        Assert.Equal(_host.Config.Database.Path, admin.RootElement.GetProperty("db_path").GetString());
        Assert.Equal("********", admin.RootElement.GetProperty("mqtt_password").GetString());
    }

    [Fact]
    public async Task Settings_post_writes_back_and_rejects_bad_input_with_the_field()
    {
        var ok = await _clients["admin"].PostAsync("/api/settings", TestServerHost.Json("""{"web_port":9090,"log_level":3}"""));
        Assert.Equal("{\"success\":true,\"restart_required\":true,\"restart_required_message\":\"Some changes take effect after a restart: web_port, log_level\"}",
            await ok.Content.ReadAsStringAsync());
        Assert.Equal("; test config\n[web]\nport = 9090 ; the port\n[mqtt]\npassword = hunter2\n\n[general]\nlog_level = 3\n", File.ReadAllText(_host.Config.SourceFile!));
        Assert.Equal(3, _host.Service<LogSink>().ConfigLevel);

        var wrongType = await _clients["admin"].PostAsync("/api/settings", TestServerHost.Json("""{"web_port":"80"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Equal("{\"error\":\"Invalid type for web_port: expected a whole number\"}", await wrongType.Content.ReadAsStringAsync());
        var badJson = await _clients["admin"].PostAsync("/api/settings", TestServerHost.Json("{nope"));
        Assert.Equal("{\"error\":\"Invalid JSON in request body\"}", await badJson.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Restart_stops_the_host_with_the_restart_exit_code()
    {
        var stopping = new TaskCompletionSource();
        _host.Service<IHostApplicationLifetime>().ApplicationStopping.Register(() => stopping.TrySetResult());
        var response = await _clients["admin"].PostAsync("/api/system/restart", null);
        Assert.Equal("{\"success\":true,\"message\":\"System is restarting\"}", await response.Content.ReadAsStringAsync());
        await stopping.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HostControl.RestartExitCode, _host.Service<HostControl>().ExitCode);
    }
}
