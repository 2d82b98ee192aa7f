using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using LightNvr.Api.Go2rtc;
using LightNvr.Api.WebRtc;
using LightNvr.Api.Streams;
using LightNvr.Api.Users;
using LightNvr.Auth;
using LightNvr.Cameras;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Hosting;
using LightNvr.Interop.Tests.Support;
using LightNvr.Live;
using LightNvr.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightNvr.Interop.Tests.Live;

/// <summary>
/// The real server pieces for live viewing, in-process: Kestrel on 127.0.0.1 (free port), SQLite in a temp folder,
/// auth (Basic with the first admin), CameraService with the RTSP source, the live services and the go2rtc and HLS
/// endpoints, the system clock. Streams are added through the store and the change listener, as the API does.
/// </summary>
internal sealed class LiveHarness : IAsyncDisposable
{
    public const string User = "admin";
    public const string Password = "admin-password-1";

    private readonly TempFolder _dir;

    private LiveHarness(WebApplication app, TempFolder dir, Uri baseAddress)
    {
        App = app;
        _dir = dir;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }
    public Uri BaseAddress { get; }
    public static string BasicValue => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
    public CameraService Cameras => App.Services.GetRequiredService<CameraService>();
    public LiveConsumers Consumers => App.Services.GetRequiredService<LiveConsumers>();

    public static Task<LiveHarness> StartAsync(params StreamConfig[] streams) => StartAsync(null, streams);

    /// <param name="go2rtc">
    /// The <c>[go2rtc]</c> section; by default a free WebRTC UDP port of its own (tests run in parallel) and no STUN
    /// server (no traffic to the internet from tests).
    /// </param>
    public static async Task<LiveHarness> StartAsync(Go2rtcOptions? go2rtc, params StreamConfig[] streams)
    {
        var folder = new TempFolder("live");
        var dir = folder.Path;
        var config = new LightNvrConfig
        {
            Database = new DatabaseOptions { Path = Path.Combine(dir, "lightnvr.db") },
            Storage = new StorageOptions { Path = Path.Combine(dir, "recordings") },
            Go2rtc = go2rtc ?? new Go2rtcOptions { WebrtcListenPort = FreePort.NextUdp(), StunEnabled = false },
            Web = new WebOptions { Username = User, Password = Password },
        };
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = dir });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(config);
        builder.Services.AddLightNvrData(config);
        builder.Services.AddLightNvrAuth(config, new PasswordHashingOptions { Iterations = 1000 });
        builder.Services.AddSingleton<ShutdownCoordinator>();
        builder.Services.AddLightNvrCameras<RtspCameraSourceFactory>();
        builder.Services.AddLightNvrLive();
        var app = builder.Build();
        app.UseLightNvrAuth();
        app.MapAuthEndpoints();
        app.MapUserEndpoints();
        app.MapTotpEndpoints();
        app.MapTrustedDeviceEndpoints();
        app.MapGo2rtcEndpoints();
        app.MapWebRtcEndpoints();
        app.MapHlsEndpoints();
        await app.StartAsync();
        var harness = new LiveHarness(app, folder, new Uri($"http://127.0.0.1:{port}"));
        foreach (var s in streams)
        {
            await harness.AddStreamAsync(s);
        }

        return harness;
    }

    /// <summary>
    /// The whole server as Program.cs composes it (every service and route: the stream API, recording, live), with the
    /// given camera source (e.g. one that counts connections); RTSP restream off, recordings in a flat temp folder.
    /// </summary>
    public static async Task<LiveHarness> StartServerAsync(ICameraSourceFactory sources, params StreamConfig[] streams)
    {
        var folder = new TempFolder("live");
        var dir = folder.Path;
        var config = new LightNvrConfig
        {
            Database = new DatabaseOptions { Path = Path.Combine(dir, "lightnvr.db") },
            Storage = new StorageOptions
            {
                Path = Path.Combine(dir, "recordings"), Mp4Path = Path.Combine(dir, "mp4"), Mp4DirectoryFormat = "flat",
            },
            // No RTSP restream listener, a WebRTC port of its own: tests run in parallel; no STUN traffic out.
            Go2rtc = new Go2rtcOptions { RtspPort = 0, WebrtcListenPort = FreePort.NextUdp(), StunEnabled = false },
            Web = new WebOptions { Username = User, Password = Password },
        };
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = dir });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddLightNvrHostServices(config);
        builder.Services.AddLightNvrSubsystems(config, new PasswordHashingOptions { Iterations = 1000 });
        builder.Services.AddSingleton(sources); // replaces the RTSP factory AddLightNvrSubsystems registered
        var app = builder.Build();
        app.UseLightNvrHosting();
        app.MapLightNvrApi();
        await app.StartAsync();
        await app.Services.GetRequiredService<FirstAdminService>().Completion; // the viewer logs in as the first admin
        var harness = new LiveHarness(app, folder, new Uri($"http://127.0.0.1:{port}"));
        foreach (var s in streams)
        {
            await harness.AddStreamAsync(s);
        }

        return harness;
    }

    public async Task AddStreamAsync(StreamConfig stream)
    {
        Assert.NotNull(await App.Services.GetRequiredService<StreamStore>().InsertAsync(stream));
        await Cameras.OnStreamAddedAsync(stream, CancellationToken.None);
    }

    public static StreamConfig Stream(string name, GstCamera camera, bool record = true) =>
        new() { Name = name, Url = camera.Url, Record = record, RecordAudio = false };

    public HttpClient Client(bool withAuth = true)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (withAuth)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", BasicValue);
        }

        return client;
    }

    public async Task<ClientWebSocket> ConnectWsAsync(string stream, bool withAuth = true)
    {
        var ws = new ClientWebSocket();
        if (withAuth)
        {
            ws.Options.SetRequestHeader("Authorization", "Basic " + BasicValue);
        }

        var uri = new Uri($"ws://127.0.0.1:{BaseAddress.Port}/go2rtc/api/ws?src={Uri.EscapeDataString(stream)}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await ws.ConnectAsync(uri, timeout.Token);
        return ws;
    }

    /// <summary>Waits until the stream's camera is connected (its GOP cache then fills).</summary>
    public async Task WaitRunningAsync(string stream, TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (Cameras.GetStatus(stream).State != "Running" || !Cameras.TryGet(stream, out var c) || c.Hub.FramesIn < 30)
        {
            Assert.True(Environment.TickCount64 < deadline, $"{stream} not running: {Cameras.GetStatus(stream)}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Cameras.StopAllAsync(CancellationToken.None);
        await App.StopAsync();
        await App.DisposeAsync();
        _dir.Dispose();
    }
}
