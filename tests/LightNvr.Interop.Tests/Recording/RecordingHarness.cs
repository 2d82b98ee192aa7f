using LightNvr.Cameras;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Hosting;
using LightNvr.Recording;
using LightNvr.Storage;
using LightNvr.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Interop.Tests.Recording;

/// <summary>
/// The real recording pieces in-process: SQLite in a temp folder (migrated), StreamStore, the RTSP camera source,
/// CameraService, RecordingService with its start-up recovery, the shutdown coordinator; the system clock.
/// Dispose stops everything (recorders first) and deletes the folder.
/// </summary>
internal sealed class RecordingHarness : IAsyncDisposable
{
    private readonly TempFolder _dir = new();
    private bool _stopped;

    private RecordingHarness(ICameraSourceFactory? sources = null, TimeProvider? recordingClock = null)
    {
        var clock = recordingClock ?? TimeProvider.System; // the recording service's clock (schedules); cameras keep the real one
        Config = new LightNvrConfig
        {
            Database = new DatabaseOptions { Path = _dir.File("lightnvr.db") },
            Storage = new StorageOptions { Mp4Path = _dir.File("mp4"), Mp4DirectoryFormat = "flat" },
        };
        Database = new Database(Config.Database.Path);
        Streams = new StreamStore(Database);
        Recordings = new RecordingStore(Database, TimeProvider.System);
        var loggers = NullLoggerFactory.Instance;
        Shutdown = new ShutdownCoordinator(TimeProvider.System, loggers.CreateLogger<ShutdownCoordinator>());
        Cameras = new CameraService(Streams, sources ?? new RtspCameraSourceFactory(TimeProvider.System), TimeProvider.System,
            loggers.CreateLogger<CameraService>());
        var files = new RecordingFiles(Recordings, new RetentionStore(Database, TimeProvider.System),
            new RecordingFileLocator(new StorageRoot(Config.Storage)), loggers.CreateLogger<RecordingFiles>());
        Recorder = new RecordingService(Cameras, Recordings,
            new RecordingRecovery(Recordings, files, Config.Storage, TimeProvider.System, loggers.CreateLogger<RecordingRecovery>()), files,
            new ConfigSnapshots(Config).Storage, Shutdown, clock, loggers);
        _ = new CameraShutdownRegistration(Shutdown, Cameras);
    }

    public LightNvrConfig Config { get; }
    public Database Database { get; }
    public StreamStore Streams { get; }
    public RecordingStore Recordings { get; }
    public ShutdownCoordinator Shutdown { get; }
    public CameraService Cameras { get; }
    public RecordingService Recorder { get; }

    public static Task<RecordingHarness> StartAsync(params StreamConfig[] streams) => StartAsync(null, streams);

    /// <summary>With another camera source (e.g. one that keeps each RtspSource to read its counters).</summary>
    public static Task<RecordingHarness> StartAsync(ICameraSourceFactory? sources, params StreamConfig[] streams) =>
        StartAsync(sources, null, streams);

    /// <summary>With the recording service on <paramref name="recordingClock"/> (a TestClock for schedule tests).</summary>
    public static async Task<RecordingHarness> StartAsync(ICameraSourceFactory? sources, TimeProvider? recordingClock,
        params StreamConfig[] streams)
    {
        var h = new RecordingHarness(sources, recordingClock);
        await h.Database.MigrateAsync(TimeProvider.System);
        foreach (var s in streams)
        {
            Assert.NotNull(await h.Streams.InsertAsync(s));
        }

        await h.Recorder.StartAsync(CancellationToken.None);
        await h.Cameras.StartAsync(CancellationToken.None);
        return h;
    }

    /// <summary>Every row of a stream (open ones included), oldest first.</summary>
    public async Task<List<RecordingRecord>> RowsAsync(string stream)
    {
        var rows = new List<RecordingRecord>();
        await using var connection = await Database.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM recordings WHERE stream_name = $s ORDER BY start_time, id";
        command.Parameters.AddWithValue("$s", stream);
        var ids = new List<long>();
        using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        foreach (var id in ids)
        {
            rows.Add((await Recordings.GetAsync(id))!);
        }

        return rows;
    }

    /// <summary>Waits until the stream has <paramref name="complete"/> complete rows (real time, bounded).</summary>
    public async Task<List<RecordingRecord>> WaitForCompleteAsync(string stream, int complete, TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            var rows = await RowsAsync(stream);
            if (rows.Count(r => r.IsComplete) >= complete)
            {
                return rows;
            }

            Assert.True(Environment.TickCount64 < deadline,
                $"{stream}: {rows.Count(r => r.IsComplete)} of {complete} segments after {timeout}; status " +
                Cameras.GetStatus(stream));
            await Task.Delay(250);
        }
    }

    /// <summary>The coordinator's order: recorders finalise, then the streaming core stops.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await Shutdown.StopAllAsync();
            await Recorder.StopAsync(CancellationToken.None);
            await Cameras.StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Cameras.Dispose();
        _dir.Dispose();
    }
}
