using LightNvr.Data;
using LightNvr.Interop.Tests.Mp4;
using LightNvr.Interop.Tests.Recording;
using LightNvr.Interop.Tests.Support;
using LightNvr.Media.Rtsp;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.Robustness;

/// <summary>
/// A camera that sends garbage after PLAY (random bytes, malformed RTP in valid framing, valid again) is recorded by
/// the same server as a healthy GStreamer camera. Only counted errors on the garbage stream; the healthy stream's
/// segments decode cleanly with <c>ffmpeg -v error -xerror</c>; memory stays bounded.
/// </summary>
[Collection("recording")]
public sealed class GarbageCameraTests(ITestOutputHelper output)
{
    /// <summary>Managed heap growth allowed over the run: queues are bounded at 8 MiB per consumer, GOP cache 4 MiB.</summary>
    private const long MaxHeapGrowth = 64L << 20;

    [Fact]
    public async Task Garbage_from_one_camera_is_counted_and_the_other_camera_keeps_recording()
    {
        using var healthy = GstCamera.Start(new GstCameraOptions { Audio = "aac", Gop = 15 });
        using var tampered = GstCamera.Start(new GstCameraOptions { Audio = "aac", Gop = 15 });
        using var proxy = new GarbageProxy(tampered.Port);
        var sources = new CountingSourceFactory();
        await using var h = await RecordingHarness.StartAsync(sources,
            new StreamConfig { Name = "healthy", Url = healthy.Url, Record = true, SegmentDuration = 4 },
            new StreamConfig { Name = "garbage", Url = proxy.Url("cam"), Record = true, SegmentDuration = 4 });

        await WaitForFramesAsync(sources, "garbage", TimeSpan.FromSeconds(15));
        GC.Collect();
        var heapBefore = GC.GetTotalMemory(true);

        // (b) valid interleaved framing, malformed RTP inside
        proxy.Mode = GarbageMode.MalformedRtp;
        await Task.Delay(3000);
        var afterMalformed = Malformed(sources, "garbage");
        output.WriteLine($"malformed RTP: {proxy.Tampered} frames tampered, {afterMalformed} counted; status {h.Cameras.GetStatus("garbage")}");
        Assert.True(afterMalformed > 0, "malformed RTP was not counted");

        // (c) valid again: the same connection (or a new one) delivers frames
        proxy.Mode = GarbageMode.Pass;
        await WaitForFramesAsync(sources, "garbage", TimeSpan.FromSeconds(15));

        // (a) random bytes instead of frames
        proxy.Mode = GarbageMode.RandomBytes;
        await Task.Delay(3000);
        var status = h.Cameras.GetStatus("garbage");
        output.WriteLine($"random bytes: status {status}; connections {proxy.Connections}; " +
                         $"malformed messages {sources.Sum("garbage", s => s.Statistics.MalformedMessages)}, " +
                         $"malformed RTP {sources.Sum("garbage", s => s.Statistics.MalformedRtpPackets)}");
        Assert.True(Malformed(sources, "garbage") > afterMalformed, "random bytes were not counted");

        // (c) valid again: recording of the garbage stream resumes (on this connection or after a reconnect)
        proxy.Mode = GarbageMode.Pass;
        var rowsBefore = (await h.RowsAsync("garbage")).Count;
        await WaitForFramesAsync(sources, "garbage", TimeSpan.FromSeconds(20));
        GC.Collect();
        var heapGrowth = GC.GetTotalMemory(true) - heapBefore;
        output.WriteLine($"heap growth {heapGrowth / 1024} KiB; connections {proxy.Connections}; status {h.Cameras.GetStatus("garbage")}");
        Assert.True(heapGrowth < MaxHeapGrowth, $"heap grew {heapGrowth >> 20} MiB");
        Assert.Empty(sources.Unexpected);

        var deadline = Environment.TickCount64 + 15_000;
        while ((await h.RowsAsync("garbage")).Count <= rowsBefore || h.Cameras.GetStatus("garbage").State != "Running")
        {
            Assert.True(Environment.TickCount64 < deadline, "garbage stream did not resume: " + h.Cameras.GetStatus("garbage"));
            await Task.Delay(200);
        }

        await h.StopAsync();
        var good = await h.RowsAsync("healthy");
        Assert.True(good.Count(r => r.IsComplete) >= 3, $"healthy stream: {good.Count} segments");
        Assert.All(good, r =>
        {
            Assert.True(r.IsComplete && r.EndTime is not null, r.FilePath);
            Assert.Equal("", Ffmpeg.DecodeErrors(r.FilePath));
        });
        var healthyRecorder = h.Recorder.RecordersEverStarted.Single(r => r.StreamName == "healthy");
        Assert.Equal(0, healthyRecorder.QueueStats!.Drops);

        // The garbage stream's files are valid MP4s whose rows are complete. Frames damaged on the wire are dropped
        // by the depacketizer, so the pictures after a dropped frame may reference it: ffmpeg's verdict is reported,
        // not asserted.
        foreach (var r in await h.RowsAsync("garbage"))
        {
            Assert.True(r.IsComplete && r.EndTime is not null, r.FilePath);
            Assert.NotEmpty(RecordingChecks.Streams(r.FilePath));
            output.WriteLine($"garbage segment {Path.GetFileName(r.FilePath)}: {Ffmpeg.FormatDuration(r.FilePath):F2} s, " +
                             $"decode: {(Ffmpeg.DecodeErrors(r.FilePath) is { Length: > 0 } e ? e.Split('\n')[0] : "clean")}");
        }
    }

    /// <summary>
    /// Issue 11 (10): a camera whose RTP headers are right but whose payloads are random made a new row every few
    /// seconds (each a file holding one garbage "keyframe"). Now random RTP leaves no row and no file, and the same
    /// camera sending real video again is recorded.
    /// </summary>
    [Fact]
    public async Task Random_rtp_payloads_leave_no_rows()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "aac", Gop = 15 });
        using var proxy = new GarbageProxy(camera.Port) { Mode = GarbageMode.RandomRtp };
        var sources = new CountingSourceFactory();
        await using var h = await RecordingHarness.StartAsync(sources,
            new StreamConfig { Name = "random", Url = proxy.Url("cam"), Record = true, SegmentDuration = 4 });
        var deadline = Environment.TickCount64 + 15_000;
        while (Environment.TickCount64 < deadline)
        {
            Assert.Empty(await h.RowsAsync("random"));
            await Task.Delay(250);
        }

        output.WriteLine($"random RTP: {proxy.Tampered} packets, {sources.Sum("random", s => s.Statistics.Frames)} frames; " +
                         $"status {h.Cameras.GetStatus("random")}");
        Assert.True(proxy.Tampered > 100, $"only {proxy.Tampered} packets were tampered with");

        proxy.Mode = GarbageMode.Pass;
        await h.WaitForCompleteAsync("random", 1, TimeSpan.FromSeconds(20));
        await h.StopAsync();
        var rows = await h.RowsAsync("random");
        Assert.All(rows, r => Assert.True(r.IsComplete && Ffmpeg.FormatDuration(r.FilePath) > 0, r.FilePath));
        Assert.Equal(rows.Select(r => r.FilePath).Order(), // no file without a row: the garbage left none behind
            Directory.GetFiles(Path.Combine(h.Config.Storage.Mp4Path, "random")).Order());
    }

    private static long Malformed(CountingSourceFactory sources, string stream) => sources.Sum(stream, s =>
        s.Statistics.MalformedMessages + s.Statistics.MalformedRtpPackets +
        s.Tracks.Sum(t => s.GetTrackCounters(t.Id).Malformed + s.GetTrackCounters(t.Id).DroppedFrames));

    /// <summary>Waits until the stream's latest run delivers 15 more frames (one second of video).</summary>
    private static async Task WaitForFramesAsync(CountingSourceFactory sources, string stream, TimeSpan timeout)
    {
        var start = sources.Sum(stream, s => s.Statistics.Frames);
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (sources.Sum(stream, s => s.Statistics.Frames) < start + 15)
        {
            Assert.True(Environment.TickCount64 < deadline, $"{stream}: no frames within {timeout}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// The camera's RTP timestamps jump forward 1,000 s mid-segment (a camera clock step): the depacketizer re-bases
    /// them (counted), and every segment, the one across the jump included, decodes cleanly and keeps its length.
    /// </summary>
    [Fact]
    public async Task A_camera_timestamp_jump_is_rebased_and_the_files_decode()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "aac", Gop = 15 });
        using var proxy = new GarbageProxy(camera.Port);
        var sources = new CountingSourceFactory();
        await using var h = await RecordingHarness.StartAsync(sources,
            new StreamConfig { Name = "jump", Url = proxy.Url("cam"), Record = true, SegmentDuration = 4 });
        await h.WaitForCompleteAsync("jump", 1, TimeSpan.FromSeconds(20));
        await Task.Delay(1500);
        proxy.TimestampJumpSeconds = 1000;
        await Task.Delay(1500);
        proxy.TimestampJumpSeconds = 2000;
        await h.WaitForCompleteAsync("jump", 3, TimeSpan.FromSeconds(20));
        await h.StopAsync();

        var source = Assert.Single(sources.Runs["jump"]);
        var jumps = source.Tracks.Sum(t => source.GetTrackCounters(t.Id).TimestampJumps);
        output.WriteLine($"timestamp jumps re-based: {jumps}");
        Assert.True(jumps >= 2, $"{jumps} jumps counted");
        var rows = await h.RowsAsync("jump");
        foreach (var r in rows)
        {
            Assert.True(r.IsComplete, r.FilePath);
            Assert.Equal("", Ffmpeg.DecodeErrors(r.FilePath));
            var duration = Ffmpeg.FormatDuration(r.FilePath);
            output.WriteLine($"{Path.GetFileName(r.FilePath)}: {duration:F2} s");
            Assert.True(duration < 4 + 1.1, $"{r.FilePath} lasts {duration:F2} s");
        }
    }
}
