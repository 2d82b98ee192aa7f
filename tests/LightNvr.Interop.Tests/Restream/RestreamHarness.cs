using System.Net;
using LightNvr.Auth;
using LightNvr.Cameras;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Demo;
using LightNvr.Hosting;
using LightNvr.Interop.Tests.Recording;
using LightNvr.Interop.Tests.Support;
using LightNvr.Live;
using LightNvr.Media.Rtsp.Server;
using LightNvr.Recording;
using LightNvr.Restream;
using LightNvr.Storage;
using LightNvr.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Interop.Tests.Restream;

/// <summary>
/// The real server pieces in-process: SQLite (migrated) in a temp folder, users with cheap PBKDF2, CameraService with
/// the publish-aware RTSP source factory, RecordingService, the restream handler and RTSP server on a free loopback
/// port; optionally the demo camera service. Users: admin/admin-pass (Admin), viewer/viewer-pass (Viewer).
/// </summary>
internal sealed class RestreamHarness : IAsyncDisposable
{
    public const string Admin = "admin", AdminPassword = "admin-pass", Viewer = "viewer", ViewerPassword = "viewer-pass";

    private readonly TempFolder _dir = new();
    private DemoCameraService? _demo;
    private bool _stopped;

    private RestreamHarness(bool authEnabled, bool demo)
    {
        Snapshots = new ConfigSnapshots(new LightNvrConfig
        {
            Database = new DatabaseOptions { Path = _dir.File("lightnvr.db") },
            Storage = new StorageOptions { Mp4Path = _dir.File("mp4"), Mp4DirectoryFormat = "flat" },
            Web = new WebOptions { AuthEnabled = authEnabled, BindIp = "127.0.0.1" },
            Go2rtc = new Go2rtcOptions { RtspPort = FreePort.Next() },
            Demo = new DemoOptions { Camera = demo },
        });
        var time = TimeProvider.System;
        var loggers = NullLoggerFactory.Instance;
        Database = new Database(Config.Database.Path);
        Streams = new StreamStore(Database);
        Users = new UserStore(Database, time);
        Recordings = new RecordingStore(Database, time);
        Hasher = new PasswordHasher(new PasswordHashingOptions { Iterations = 1000 });
        Shutdown = new ShutdownCoordinator(time, loggers.CreateLogger<ShutdownCoordinator>());
        Publishers = new PublishRegistry();
        FfmpegCredential = new FfmpegSourceCredential();
        Cameras = new CameraService(Streams,
            new PublishSourceFactory(new RtspCameraSourceFactory(time), Publishers, Snapshots.Go2rtc, Snapshots.Web, FfmpegCredential), time,
            loggers.CreateLogger<CameraService>());
        var files = new RecordingFiles(Recordings, new RetentionStore(Database, time),
            new RecordingFileLocator(new StorageRoot(Config.Storage)), loggers.CreateLogger<RecordingFiles>());
        Recorder = new RecordingService(Cameras, Recordings,
            new RecordingRecovery(Recordings, files, Config.Storage, time, loggers.CreateLogger<RecordingRecovery>()), files,
            Snapshots.Storage, Shutdown, time, loggers);
        _ = new CameraShutdownRegistration(Shutdown, Cameras);
        DemoCredential = new DemoPublisherCredential();
        var sources = new PublishSourceFactory(new RtspCameraSourceFactory(time), Publishers, Snapshots.Go2rtc, Snapshots.Web, FfmpegCredential);
        Live = new LiveStreams(Cameras, sources, time);
        var handler = new RestreamHandler(Cameras, Live, Publishers,
            new CredentialVerifier(Users, Hasher, new BasicCredentialCache(time),
                new FirstAdminService(Snapshots.Web, Users, Hasher, loggers.CreateLogger<FirstAdminService>())), new LoginRateLimiter(Snapshots.Web, time),
            DemoCredential, FfmpegCredential, Snapshots, loggers.CreateLogger<RestreamHandler>());
        Server = new RtspServer(new RtspServerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, Config.Go2rtc.RtspPort) },
            handler);
        if (demo)
        {
            _demo = new DemoCameraService(Streams, new StreamChangeBroadcaster([Cameras],
                loggers.CreateLogger<StreamChangeBroadcaster>()), Snapshots.Demo,
                Snapshots.Go2rtc, Snapshots.Web, DemoCredential, Shutdown, time,
                loggers.CreateLogger<DemoCameraService>());
        }
    }

    /// <summary>The configuration in effect; a test changes a live key with <see cref="Update"/>.</summary>
    public LightNvrConfig Config => Snapshots.Current;

    /// <summary>The one set of snapshots every part of the harness reads its sections from.</summary>
    public ConfigSnapshots Snapshots { get; }

    /// <summary>Publishes a new snapshot built from the current one (as the settings API does).</summary>
    public void Update(Func<LightNvrConfig, LightNvrConfig> change) => Snapshots.Publish(change(Config));
    public Database Database { get; }
    public StreamStore Streams { get; }
    public UserStore Users { get; }
    public RecordingStore Recordings { get; }
    public PasswordHasher Hasher { get; }
    public ShutdownCoordinator Shutdown { get; }
    public PublishRegistry Publishers { get; }
    public LiveStreams Live { get; }
    public CameraService Cameras { get; }
    public RecordingService Recorder { get; }
    public DemoPublisherCredential DemoCredential { get; }
    public FfmpegSourceCredential FfmpegCredential { get; }
    public RtspServer Server { get; }

    public int Port => Config.Go2rtc.RtspPort;

    /// <summary>rtsp://[user:pass@]127.0.0.1:PORT/name</summary>
    public string Url(string stream, string? user = null, string? password = null) =>
        user is null ? $"rtsp://127.0.0.1:{Port}/{stream}" : $"rtsp://{user}:{password}@127.0.0.1:{Port}/{stream}";

    /// <summary>The URL a publish-mode stream has.</summary>
    public string PublishUrl(string stream) => SelfUrl.For(Config.Go2rtc, stream);

    public static async Task<RestreamHarness> StartAsync(bool authEnabled = true, bool demo = false,
        params StreamConfig[] streams)
    {
        var h = new RestreamHarness(authEnabled, demo);
        await h.Database.MigrateAsync(TimeProvider.System);
        await h.AddUserAsync(Admin, AdminPassword, Role.Admin);
        await h.AddUserAsync(Viewer, ViewerPassword, Role.Viewer);
        foreach (var s in streams)
        {
            Assert.NotNull(await h.Streams.InsertAsync(s));
        }

        await h.Server.StartAsync();
        await h.Recorder.StartAsync(CancellationToken.None);
        await h.Cameras.StartAsync(CancellationToken.None);
        if (h._demo is { } d)
        {
            await d.StartAsync(CancellationToken.None);
        }

        return h;
    }

    /// <summary>Adds a user; <paramref name="cidrs"/> and <paramref name="tags"/> are allowed_login_cidrs and allowed_tags.</summary>
    public async Task AddUserAsync(string name, string password, Role role, string? cidrs = null, string? tags = null)
    {
        var (hash, salt) = Hasher.Hash(password);
        Assert.NotNull(await Users.InsertAsync(new UserRecord
        {
            Username = name, PasswordHash = hash, Salt = salt, Role = role, AllowedLoginCidrs = cidrs, AllowedTags = tags,
        }));
    }

    /// <summary>Adds a stream while running, as the API does (row, then the camera service is told).</summary>
    public async Task AddStreamAsync(StreamConfig stream)
    {
        var id = await Streams.InsertAsync(stream);
        Assert.NotNull(id);
        await Cameras.OnStreamAddedAsync(stream with { Id = id.Value }, CancellationToken.None);
    }

    /// <summary>Rows of a stream in <c>recordings</c>, open ones included.</summary>
    public async Task<long> RecordingRowsAsync(string stream)
    {
        await using var connection = await Database.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM recordings WHERE stream_name = $s";
        command.Parameters.AddWithValue("$s", stream);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Stops the demo camera service (its ffmpeg is killed).</summary>
    public async Task StopDemoAsync()
    {
        if (_demo is { } d)
        {
            await d.StopAsync(CancellationToken.None);
            d.Dispose();
            _demo = null;
        }
    }

    /// <summary>A fresh demo camera service with the current config, as at the next start; waits for its start work.</summary>
    public async Task RunDemoSwitchOnceAsync()
    {
        using var demo = new DemoCameraService(Streams, new StreamChangeBroadcaster([Cameras],
            NullLoggerFactory.Instance.CreateLogger<StreamChangeBroadcaster>()), Snapshots.Demo,
            Snapshots.Go2rtc, Snapshots.Web, DemoCredential, Shutdown,
            TimeProvider.System, NullLoggerFactory.Instance.CreateLogger<DemoCameraService>());
        await demo.StartAsync(CancellationToken.None);
    }

    /// <summary>Waits (bounded, real time) until the stream's hub has received <paramref name="frames"/> frames.</summary>
    public async Task WaitForFramesAsync(string stream, long frames, TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (!(Cameras.TryGet(stream, out var camera) && camera.Hub.FramesIn >= frames))
        {
            Assert.True(Environment.TickCount64 < deadline, $"{stream}: fewer than {frames} frames after {timeout}; status {Cameras.GetStatus(stream)}");
            await Task.Delay(100);
        }
    }

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            if (_demo is { } d)
            {
                await d.StopAsync(CancellationToken.None);
            }

            await Server.DisposeAsync();
            await Shutdown.StopAllAsync();
            await Recorder.StopAsync(CancellationToken.None);
            await Cameras.StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _demo?.Dispose();
        await Live.DisposeAsync();
        Cameras.Dispose();
        _dir.Dispose();
    }
}
