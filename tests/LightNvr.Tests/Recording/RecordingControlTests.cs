using LightNvr.Cameras;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Hosting;
using LightNvr.Media;
using LightNvr.Recording;
using LightNvr.Storage;
using LightNvr.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Recording;

/// <summary>
/// RecordingService's control (issue 17 items 1 and 2) with the recording clock faked (TestClock in Europe/Berlin,
/// moved across the 2026 spring DST change) and a synthetic 25 fps source on the real clock (a stand-in for a camera:
/// the interop ScheduleInteropTests use a GStreamer one). Manual recording outside the schedule writes rows with
/// trigger_type manual; the schedule's hour starts continuous recording (scheduled) at 01:00 UTC, the end of it stops it.
/// </summary>
public sealed class RecordingControlTests
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
        public Func<IMediaSink, CancellationToken, Task> Create(StreamConfig stream) => async (sink, ct) =>
        {
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
    public async Task Manual_outside_the_schedule_then_scheduled_inside_it_across_a_DST_change()
    {
        using var folder = new TempFolder();
        var clock = new TestClock(new DateTimeOffset(2026, 3, 29, 0, 57, 30, TimeSpan.Zero)); // 01:57:30 CET, Sunday
        clock.SetLocalTimeZone(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        var db = new Database(folder.File("db.sqlite"));
        await db.MigrateAsync(TimeProvider.System);
        var streams = new StreamStore(db);
        var recordings = new RecordingStore(db, TimeProvider.System);
        var storage = new StorageOptions { Mp4Path = folder.File("mp4"), Mp4DirectoryFormat = "flat" };
        var cam = new StreamConfig
        {
            Name = "cam", Url = "rtsp://cam", Record = true, RecordAudio = false, SegmentDuration = 60,
            RecordOnSchedule = true, RecordingSchedule = RecordingScheduleTests.Only(3), // Sunday 03:00-04:00 local
        };
        await streams.InsertAsync(cam);
        ILoggerFactory loggers = NullLoggerFactory.Instance;
        var shutdown = new ShutdownCoordinator(TimeProvider.System, loggers.CreateLogger<ShutdownCoordinator>());
        using var cameras = new CameraService(streams, new PacedSource(), TimeProvider.System, loggers.CreateLogger<CameraService>());
        var files = new RecordingFiles(recordings, new RetentionStore(db, TimeProvider.System),
            new RecordingFileLocator(new StorageRoot(storage)), loggers.CreateLogger<RecordingFiles>());
        var service = new RecordingService(cameras, recordings,
            new RecordingRecovery(recordings, files, storage, clock, loggers.CreateLogger<RecordingRecovery>()), files,
            ConfigSection<StorageOptions>.Fixed(storage), shutdown, clock, loggers);
        await service.StartAsync(CancellationToken.None);
        await cameras.StartAsync(CancellationToken.None);
        try
        {
            await WaitAsync(() => Task.FromResult(cameras.TryGet("cam", out var c) && c.Hub.FramesIn > 10));
            Assert.Empty(service.Recorders); // outside the schedule: record is on, nothing is written
            Assert.False(service.StateOf("cam").ContinuousInEffect);

            Assert.Equal(ManualRecordingOutcome.Started, await service.StartManualAsync("cam"));
            Assert.Equal(ManualRecordingOutcome.AlreadyActive, await service.StartManualAsync("cam"));
            Assert.Equal(StreamRecorder.ManualTriggerType, Assert.Single(service.Recorders).Trigger);
            await WaitAsync(async () => (await recordings.ListIncompleteAsync()).Count == 1);
            Assert.Equal(ManualRecordingOutcome.Stopped, await service.StopManualAsync("cam"));
            Assert.Equal(ManualRecordingOutcome.NotManual, await service.StopManualAsync("cam"));
            Assert.Empty(service.Recorders);
            var manual = Assert.Single(await AllAsync(recordings));
            Assert.Equal("manual", manual.TriggerType);
            Assert.True(manual.IsComplete);

            // 01:00 UTC is 03:00 CEST: the schedule's hour (a CET reading would wait until 02:00 UTC).
            await AdvanceUntilAsync(clock, () => service.Recorders.Count == 1, TimeSpan.FromMinutes(4));
            Assert.InRange(clock.GetUtcNow(), new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 3, 29, 1, 1, 0, TimeSpan.Zero));
            Assert.Equal(StreamRecorder.TriggerType, Assert.Single(service.Recorders).Trigger);
            Assert.True(service.StateOf("cam").ContinuousInEffect);
            Assert.Equal(ManualRecordingOutcome.ContinuousConfigured, await service.StartManualAsync("cam"));
            await WaitAsync(async () => (await recordings.ListIncompleteAsync()).Any(r => r.TriggerType == "scheduled"));

            clock.Advance(TimeSpan.FromMinutes(58)); // 01:58 UTC, 03:58 CEST: still inside
            await Task.Delay(200);
            Assert.Single(service.Recorders);
            await AdvanceUntilAsync(clock, () => service.Recorders.Count == 0, TimeSpan.FromMinutes(4)); // 04:00 CEST
            Assert.InRange(clock.GetUtcNow(), new DateTimeOffset(2026, 3, 29, 2, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 3, 29, 2, 1, 0, TimeSpan.Zero));
            Assert.Empty(await recordings.ListIncompleteAsync()); // the scheduled segment was finished
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
            await cameras.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_manual_recording_stops_by_itself_after_its_limit_and_an_earlier_limit_never_stops_a_later_one()
    {
        using var folder = new TempFolder();
        var clock = new TestClock(new DateTimeOffset(2026, 12, 6, 10, 0, 5, TimeSpan.Zero));
        var db = new Database(folder.File("db.sqlite"));
        await db.MigrateAsync(TimeProvider.System);
        var streams = new StreamStore(db);
        var recordings = new RecordingStore(db, TimeProvider.System);
        var storage = new StorageOptions
        {
            Mp4Path = folder.File("mp4"), Mp4DirectoryFormat = "flat", ManualRecordingMaxMinutes = 5,
        };
        await streams.InsertAsync(new StreamConfig
        {
            Name = "cam", Url = "rtsp://cam", Record = false, RecordAudio = false, SegmentDuration = 60,
        });
        ILoggerFactory loggers = NullLoggerFactory.Instance;
        var shutdown = new ShutdownCoordinator(TimeProvider.System, loggers.CreateLogger<ShutdownCoordinator>());
        using var cameras = new CameraService(streams, new PacedSource(), TimeProvider.System, loggers.CreateLogger<CameraService>());
        var files = new RecordingFiles(recordings, new RetentionStore(db, TimeProvider.System),
            new RecordingFileLocator(new StorageRoot(storage)), loggers.CreateLogger<RecordingFiles>());
        var service = new RecordingService(cameras, recordings,
            new RecordingRecovery(recordings, files, storage, clock, loggers.CreateLogger<RecordingRecovery>()), files,
            ConfigSection<StorageOptions>.Fixed(storage), shutdown, clock, loggers);
        await service.StartAsync(CancellationToken.None);
        await cameras.StartAsync(CancellationToken.None);
        try
        {
            await WaitAsync(() => Task.FromResult(cameras.TryGet("cam", out _))); // record: false connects on demand (for the manual recorder)
            var started = clock.GetUtcNow();
            Assert.Equal(ManualRecordingOutcome.Started, await service.StartManualAsync("cam"));
            Assert.Equal(started.AddMinutes(5), service.StateOf("cam").ManualStopsAt);
            await WaitAsync(async () => (await recordings.ListIncompleteAsync()).Count == 1);

            clock.Advance(TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(50)); // 10 s before the limit
            await Task.Delay(300);
            Assert.Equal(StreamRecorder.ManualTriggerType, Assert.Single(service.Recorders).Trigger);
            Assert.True(service.StateOf("cam").Manual);

            await RecordingControlTests.AdvanceUntilAsync(clock, () => service.Recorders.Count == 0, TimeSpan.FromMinutes(1));
            Assert.InRange(clock.GetUtcNow(), started.AddMinutes(5), started.AddMinutes(5).AddSeconds(10));
            Assert.False(service.StateOf("cam").Manual);
            Assert.Null(service.StateOf("cam").ManualStopsAt);
            Assert.Equal(ManualRecordingOutcome.NotManual, await service.StopManualAsync("cam"));
            var rows = await AllAsync(recordings); // 60 s segments on the fake clock: cut as the clock jumps
            Assert.NotEmpty(rows);
            Assert.All(rows, r => Assert.Equal("manual", r.TriggerType));
            Assert.All(rows, r => Assert.True(r.IsComplete)); // the last segment was finished, file and row

            // Stopped by hand after 1 min, started again 2 min later: the first start's 5 min mark passes and the
            // second recording goes on until its own limit.
            var second = clock.GetUtcNow();
            Assert.Equal(ManualRecordingOutcome.Started, await service.StartManualAsync("cam"));
            clock.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal(ManualRecordingOutcome.Stopped, await service.StopManualAsync("cam"));
            clock.Advance(TimeSpan.FromMinutes(2));
            Assert.Equal(ManualRecordingOutcome.Started, await service.StartManualAsync("cam"));
            var third = clock.GetUtcNow();
            clock.Advance(second.AddMinutes(5) - clock.GetUtcNow() + TimeSpan.FromSeconds(30));
            await Task.Delay(300);
            Assert.Single(service.Recorders);
            Assert.Equal(third.AddMinutes(5), service.StateOf("cam").ManualStopsAt);
            await RecordingControlTests.AdvanceUntilAsync(clock, () => service.Recorders.Count == 0, TimeSpan.FromMinutes(4));
            Assert.InRange(clock.GetUtcNow(), third.AddMinutes(5), third.AddMinutes(5).AddSeconds(10));
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
            await cameras.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<IReadOnlyList<RecordingRecord>> AllAsync(RecordingStore store) =>
        (await store.ListAsync(new RecordingQuery { StreamName = "cam", PageSize = 100 })).Items;

    /// <summary>Moves the fake clock 10 s at a time (the minute timer fires on the way) until the condition holds.</summary>
    internal static async Task AdvanceUntilAsync(TestClock clock, Func<bool> condition, TimeSpan limit)
    {
        var end = clock.GetUtcNow() + limit;
        while (!condition())
        {
            Assert.True(clock.GetUtcNow() < end, $"condition not reached by {clock.GetUtcNow():O}");
            clock.Advance(TimeSpan.FromSeconds(10));
            for (var i = 0; i < 20 && !condition(); i++)
            {
                await Task.Delay(10);
            }
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
