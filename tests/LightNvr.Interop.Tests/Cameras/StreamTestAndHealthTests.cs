using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net;
using System.Text.Json.Nodes;
using System.Text;
using LightNvr.Api.Streams;
using LightNvr.Api.System;
using LightNvr.Api.Users;
using LightNvr.Auth;
using LightNvr.Cameras;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Hosting;
using LightNvr.Interop.Tests.Support;
using LightNvr.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightNvr.Interop.Tests.Cameras;

/// <summary>
/// POST /api/streams/test and the camera entries of /api/health against a real GStreamer camera and the real
/// server pieces (Kestrel on loopback, SQLite in a temp folder).
/// </summary>
public sealed class StreamTestAndHealthTests : IAsyncLifetime
{
    private const string Admin = "admin";
    private const string Password = "admin-password-1";
    private readonly TempFolder _folder = new("probe");
    private WebApplication _app = null!;
    private Uri _base = null!;

    public async Task InitializeAsync()
    {
        var config = new LightNvrConfig
        {
            Database = new DatabaseOptions { Path = Path.Combine(_folder.Path, "lightnvr.db") },
            Storage = new StorageOptions { Path = Path.Combine(_folder.Path, "recordings") },
            Web = new WebOptions { Username = Admin, Password = Password },
        };
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = _folder.Path });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddLightNvrHostServices(config);
        builder.Services.AddLightNvrData(config);
        builder.Services.AddLightNvrAuth(config, new PasswordHashingOptions { Iterations = 1000 });
        builder.Services.AddLightNvrCameras<RtspCameraSourceFactory>();
        _app = builder.Build();
        _app.UseLightNvrAuth();
        _app.MapAuthEndpoints();
        _app.MapUserEndpoints();
        _app.MapTotpEndpoints();
        _app.MapTrustedDeviceEndpoints();
        _app.MapHealthEndpoints();
        _app.MapStreamEndpoints();
        await _app.StartAsync();
        _base = new Uri($"http://127.0.0.1:{port}");
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Test_reports_the_cameras_video_and_a_clear_failure_without_credentials()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Auth = "digest", Password = "cam-secret-9" });
        using var client = Client();

        var ok = await PostJsonAsync(client, "/api/streams/test",
            new JsonObject { ["url"] = camera.Url, ["protocol"] = 0, ["onvif_username"] = "admin", ["onvif_password"] = "cam-secret-9" });
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.True(ok.Body["success"]!.GetValue<bool>(), ok.Body.ToJsonString());
        Assert.Equal(640, ok.Body["info"]!["width"]!.GetValue<int>());
        Assert.Equal(360, ok.Body["info"]!["height"]!.GetValue<int>());
        Assert.Equal("h264", ok.Body["info"]!["codec"]!.GetValue<string>());
        Assert.InRange(ok.Body["info"]!["fps"]!.GetValue<int>(), 13, 17);

        var wrong = await PostJsonAsync(client, "/api/streams/test",
            new JsonObject { ["url"] = $"rtsp://admin:not-it-4@127.0.0.1:{camera.Port}/cam", ["protocol"] = 0 });
        Assert.Equal(HttpStatusCode.OK, wrong.Status);
        Assert.False(wrong.Body["success"]!.GetValue<bool>());
        Assert.Contains("401", wrong.Body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("not-it-4", wrong.Body.ToJsonString(), StringComparison.Ordinal);

        var missing = await PostJsonAsync(client, "/api/streams/test", new JsonObject { ["url"] = camera.Url });
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        var badScheme = await PostJsonAsync(client, "/api/streams/test", new JsonObject { ["url"] = "file:///etc/passwd", ["protocol"] = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, badScheme.Status);
    }

    [Fact]
    public async Task Test_needs_an_operator()
    {
        using var admin = Client();
        var created = await PostJsonAsync(admin, "/api/auth/users",
            new JsonObject { ["username"] = "watcher", ["password"] = "watcher-pass-1", ["role"] = (int)Role.Viewer });
        Assert.Equal(HttpStatusCode.OK, created.Status);
        using var viewer = Client("watcher", "watcher-pass-1");
        var refused = await PostJsonAsync(viewer, "/api/streams/test", new JsonObject { ["url"] = "rtsp://127.0.0.1:1/x", ["protocol"] = 0 });
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        using var anonymous = new HttpClient { BaseAddress = _base };
        var unauthorized = await PostJsonAsync(anonymous, "/api/streams/test", new JsonObject { ["url"] = "rtsp://127.0.0.1:1/x", ["protocol"] = 0 });
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.Status);
    }

    [Fact]
    public async Task Health_lists_each_camera_with_its_state_and_counters()
    {
        using var camera = GstCamera.Start();
        using var client = Client();
        var create = await PostJsonAsync(client, "/api/streams",
            new JsonObject { ["name"] = "porch", ["url"] = camera.Url, ["record"] = false });
        Assert.Equal(HttpStatusCode.Created, create.Status);
        var broken = await PostJsonAsync(client, "/api/streams",
            new JsonObject { ["name"] = "gone", ["url"] = $"rtsp://127.0.0.1:{FreePort.Next()}/x", ["record"] = true });
        Assert.Equal(HttpStatusCode.Created, broken.Status);

        // porch is on demand (record false): idle is "up"; gone keeps failing: "degraded" or "down", never "up".
        JsonNode health = null!;
        var deadline = Environment.TickCount64 + 20_000;
        do
        {
            await Task.Delay(250);
            health = JsonNode.Parse(await client.GetStringAsync("/api/health"))!;
        }
        while (Environment.TickCount64 < deadline && Detail(health, "gone")?["reconnects"]?.GetValue<long>() < 1);

        Assert.Equal(2, health["streams"]!["total"]!.GetValue<int>());
        Assert.Equal("up", Detail(health, "porch")!["status"]!.GetValue<string>());
        Assert.NotEqual("up", Detail(health, "gone")!["status"]!.GetValue<string>());
        Assert.True(Detail(health, "gone")!["reconnects"]!.GetValue<long>() >= 1);
        Assert.False(Detail(health, "gone")!["recording_active"]!.GetValue<bool>());
    }

    private static JsonNode? Detail(JsonNode health, string name) =>
        health["streams_detail"]!.AsArray().FirstOrDefault(s => s!["name"]!.GetValue<string>() == name);

    private HttpClient Client(string user = Admin, string password = Password)
    {
        var client = new HttpClient { BaseAddress = _base, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> PostJsonAsync(HttpClient client, string path, JsonObject body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text.Length == 0 ? "{}" : text)!);
    }
}
