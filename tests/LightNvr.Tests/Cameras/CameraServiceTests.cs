using LightNvr.Cameras;
using LightNvr.Data;
using LightNvr.Media;
using LightNvr.Testing;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Cameras;

/// <summary>
/// CameraService against a real SQLite stream table and a synthetic camera source (no RTSP peer is needed to test the
/// lifecycle; the real RTSP path is covered in LightNvr.Interop.Tests/Recording).
/// </summary>
public sealed class CameraServiceTests
{
    private static readonly MediaTrack Video = new()
    {
        Id = 0, Codec = MediaCodec.H264, ClockRate = 90000, Sps = [0x67, 0x42, 0xC0, 0x1E], Pps = [0x68, 0xCE],
        Width = 640, Height = 360,
    };

    /// <summary>Each run announces a video track, sends 3 s of 25 fps frames, then stays connected until cancelled.</summary>
    private sealed class SyntheticSources : ICameraSourceFactory
    {
        public readonly List<string> Created = [];

        public Func<IMediaSink, CancellationToken, Task> Create(StreamConfig stream)
        {
            lock (Created)
            {
                Created.Add(stream.Name + " " + stream.Url);
            }

            return async (sink, ct) =>
            {
                sink.OnTracks([Video]);
                for (var i = 0; i < 76; i++)
                {
                    sink.OnFrame(new MediaFrame(Video, i * 3600L, 0, i % 25 == 0, new byte[10], 0));
                }

                await Task.Delay(Timeout.Infinite, ct);
            };
        }
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "condition not reached");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Starts_enabled_streams_staggered_follows_changes_and_reports_status_and_video_info()
    {
        using var folder = new TempFolder();
        var time = new TestClock();
        var db = new Database(folder.File("db.sqlite"));
        await db.MigrateAsync(time);
        var store = new StreamStore(db);
        await store.InsertAsync(new StreamConfig { Name = "a", Url = "rtsp://a" });
        await store.InsertAsync(new StreamConfig { Name = "off", Url = "rtsp://off", Enabled = false });
        await store.InsertAsync(new StreamConfig { Name = "b", Url = "rtsp://b" });
        var sources = new SyntheticSources();
        using var service = new CameraService(store, sources, time, NullLogger<CameraService>.Instance);

        await service.StartAsync(CancellationToken.None);
        await WaitAsync(() => service.TryGet("a", out _));
        Assert.False(service.TryGet("b", out _)); // the second start waits for the stagger
        await WaitAsync(() => time.ActiveTimers > 0);
        time.Advance(CameraService.StartStagger);
        await WaitAsync(() => service.TryGet("b", out _));
        Assert.False(service.TryGet("off", out _));
        await WaitAsync(() => service.GetStatus("a").State == "Running");
        Assert.Equal("Stopped", service.GetStatus("off").State);

        // Codec, size and frame rate come from what arrived.
        await WaitAsync(() => store.GetAsync("a").Result is { Fps: 25, Width: 640, Height: 360, Codec: "h264" });

        // A URL change restarts the camera; disabling or deleting stops it.
        var a = (await store.GetAsync("a"))!;
        await service.OnStreamUpdatedAsync(a, a with { Url = "rtsp://a2" }, CancellationToken.None);
        Assert.Contains("a rtsp://a2", sources.Created);
        await service.OnStreamUpdatedAsync(a, a with { Priority = 9 }, CancellationToken.None);
        Assert.Equal(3, sources.Created.Count); // a field the camera does not use: no restart
        await service.OnStreamRemovedAsync(a, permanent: true, CancellationToken.None);
        Assert.False(service.TryGet("a", out _));
        Assert.Equal("Stopped", service.GetStatus("a").State);

        await service.StopAsync(CancellationToken.None);
        Assert.Empty(service.Cameras);
    }

    /// <summary>
    /// record, record_audio and segment_duration reach the recorder through <see cref="CameraService.RecorderSettingsChanged"/>
    /// on the same camera: no new source run, same hub (its viewers stay); record off makes the connection on demand.
    /// </summary>
    [Fact]
    public async Task Recorder_settings_reconfigure_the_running_camera_without_reconnecting()
    {
        using var folder = new TempFolder();
        var time = new TestClock();
        var db = new Database(folder.File("db.sqlite"));
        await db.MigrateAsync(time);
        var store = new StreamStore(db);
        var a = new StreamConfig { Name = "a", Url = "rtsp://a", Record = true, SegmentDuration = 30 };
        await store.InsertAsync(a);
        var sources = new SyntheticSources();
        using var service = new CameraService(store, sources, time, NullLogger<CameraService>.Instance);
        var raised = new List<StreamConfig>();
        service.RecorderSettingsChanged += (camera, _) =>
        {
            raised.Add(camera.Config);
            return Task.CompletedTask;
        };
        await service.StartAsync(CancellationToken.None);
        await WaitAsync(() => service.GetStatus("a").State == "Running");
        Assert.True(service.TryGet("a", out var camera));
        var hub = camera.Hub;

        await service.OnStreamUpdatedAsync(a, a with { SegmentDuration = 10 }, CancellationToken.None);
        await service.OnStreamUpdatedAsync(a with { SegmentDuration = 10 }, a with { SegmentDuration = 10, RecordAudio = false },
            CancellationToken.None);
        Assert.Equal([10, 10], raised.Select(c => c.SegmentDuration));
        Assert.False(raised[1].RecordAudio);
        Assert.True(camera.Supervisor.AlwaysOn);

        var off = a with { SegmentDuration = 10, RecordAudio = false, Record = false };
        await service.OnStreamUpdatedAsync(a, off, CancellationToken.None);
        Assert.False(raised[^1].Record);
        Assert.False(camera.Supervisor.AlwaysOn); // not recorded: connected while watched (plus the linger)
        await service.OnStreamUpdatedAsync(off, off with { Record = true }, CancellationToken.None);
        Assert.True(camera.Supervisor.AlwaysOn);

        Assert.Single(sources.Created); // never reconnected
        Assert.Equal(1, camera.Supervisor.Attempts);
        Assert.True(service.TryGet("a", out var same));
        Assert.Same(camera, same);
        Assert.Same(hub, same.Hub);
        Assert.Equal(4, raised.Count);
        Assert.Equal("Running", service.GetStatus("a").State);

        // A field nothing running uses: the camera takes the row, nobody is told.
        await service.OnStreamUpdatedAsync(off with { Record = true }, off with { Record = true, Priority = 9 }, CancellationToken.None);
        Assert.Equal(9, camera.Config.Priority);
        Assert.Equal(4, raised.Count);

        await service.StopAsync(CancellationToken.None);
    }
}
