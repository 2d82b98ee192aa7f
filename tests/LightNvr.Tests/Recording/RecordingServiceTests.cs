using LightNvr.Storage;
using LightNvr.Testing;
using LightNvr.Cameras;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Hosting;
using LightNvr.Media;
using LightNvr.Recording;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Recording;

/// <summary>
/// RecordingService's side of a recorder settings change (issue 12, item 6) on a running camera: record off finishes
/// the recorder (its row complete), record on starts one on the same hub, other settings go to the running recorder;
/// the camera never reconnects. A synthetic 25 fps source (real clock, no RTSP peer; the real camera and a browser
/// viewer are in the interop ReconfigureWhileWatchedTests).
/// </summary>
public sealed class RecordingServiceTests
{
    private static readonly MediaTrack Video = new()
    {
        Id = 0, Codec = MediaCodec.H264, ClockRate = 90000, Sps = [0x67, 0x42, 0xC0, 0x1E, 0xD9, 0x00], Pps = [0x68, 0xCE, 0x3C, 0x80],
        Width = 640, Height = 360,
    };

    private static readonly byte[] KeyFrame = [0, 0, 0, 2, 0x65, 0x88];
    private static readonly byte[] Delta = [0, 0, 0, 2, 0x41, 0x9A];

    private sealed class PacedSource : ICameraSourceFactory
    {
        public int Runs;

        public Func<IMediaSink, CancellationToken, Task> Create(StreamConfig stream) => async (sink, ct) =>
        {
            Interlocked.Increment(ref Runs);
            sink.OnTracks([Video]);
            for (var i = 0; !ct.IsCancellationRequested; i++)
            {
                var key = i % 25 == 0;
                sink.OnFrame(new MediaFrame(Video, i * 3600L, 0, key, key ? KeyFrame : Delta,
                    DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
                await Task.Delay(40, ct);
            }
        };
    }

    [Fact]
    public async Task Record_off_finishes_the_recorder_and_record_on_starts_one_on_the_running_camera()
    {
        using var folder = new TempFolder();
        var time = TimeProvider.System;
        var db = new Database(folder.File("db.sqlite"));
        await db.MigrateAsync(time);
        var streams = new StreamStore(db);
        var recordings = new RecordingStore(db, time);
        var storage = new StorageOptions { Mp4Path = folder.File("mp4"), Mp4DirectoryFormat = "flat" };
        var a = new StreamConfig { Name = "a", Url = "rtsp://a", Record = true, RecordAudio = false, SegmentDuration = 30 };
        await streams.InsertAsync(a);
        var sources = new PacedSource();
        ILoggerFactory loggers = NullLoggerFactory.Instance;
        var shutdown = new ShutdownCoordinator(time, loggers.CreateLogger<ShutdownCoordinator>());
        using var cameras = new CameraService(streams, sources, time, loggers.CreateLogger<CameraService>());
        var files = new RecordingFiles(recordings, new RetentionStore(db, time),
            new RecordingFileLocator(new StorageRoot(storage)), loggers.CreateLogger<RecordingFiles>());
        var service = new RecordingService(cameras, recordings,
            new RecordingRecovery(recordings, files, storage, time, loggers.CreateLogger<RecordingRecovery>()), files,
            ConfigSection<StorageOptions>.Fixed(storage), shutdown, time, loggers);
        await service.StartAsync(CancellationToken.None);
        await cameras.StartAsync(CancellationToken.None);
        try
        {
            await WaitAsync(async () => (await recordings.ListIncompleteAsync()).Count == 1); // a segment is open
            var first = Assert.Single(service.Recorders);

            await cameras.OnStreamUpdatedAsync(a, a with { Record = false }, CancellationToken.None);
            Assert.Empty(service.Recorders);
            Assert.Empty(await recordings.ListIncompleteAsync()); // finished: row complete before the change returned
            var closed = Assert.Single((await recordings.ListAsync(new RecordingQuery { StreamName = "a" })).Items);
            Assert.True(File.Exists(closed.FilePath));
            Assert.Equal(new FileInfo(closed.FilePath).Length, closed.SizeBytes);

            await cameras.OnStreamUpdatedAsync(a with { Record = false }, a, CancellationToken.None);
            var second = Assert.Single(service.Recorders);
            Assert.NotSame(first, second);
            await WaitAsync(async () => (await recordings.ListIncompleteAsync()).Count == 1); // records again

            await cameras.OnStreamUpdatedAsync(a, a with { SegmentDuration = 10 }, CancellationToken.None);
            Assert.Same(second, Assert.Single(service.Recorders)); // reconfigured, not replaced
            Assert.Equal(2, service.RecordersEverStarted.Count);
            Assert.Equal(1, sources.Runs); // one camera connection throughout
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
            await cameras.StopAsync(CancellationToken.None);
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (!await condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "condition not reached");
            await Task.Delay(50);
        }
    }
}
