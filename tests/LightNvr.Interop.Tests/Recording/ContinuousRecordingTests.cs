using LightNvr.Data;
using LightNvr.Interop.Tests.Support;

namespace LightNvr.Interop.Tests.Recording;

/// <summary>
/// Continuous recording from real GStreamer RTSP cameras (640x360, 15 fps) through the real RTSP client, hub,
/// recorder and SQLite, judged by ffmpeg/ffprobe. Segments of 4 s keep each test under ~30 s.
/// </summary>
[Collection("recording")]
public sealed class ContinuousRecordingTests
{
    private const int SegmentSeconds = 4;

    private static StreamConfig Stream(string name, string url, int protocol = 0, bool recordAudio = true) => new()
    {
        Name = name,
        Url = url,
        Protocol = protocol,
        Record = true,
        RecordAudio = recordAudio,
        SegmentDuration = SegmentSeconds,
    };

    [Fact]
    public async Task H264_with_AAC_over_TCP_records_gapless_decodable_segments()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Video = "h264", Audio = "aac", Gop = 15 });
        await using var h = await RecordingHarness.StartAsync(Stream("tcp", camera.Url));
        await h.WaitForCompleteAsync("tcp", 3, TimeSpan.FromSeconds(30));
        await h.StopAsync();
        var rows = await h.RowsAsync("tcp");
        Assert.All(rows, r => Assert.True(r.IsComplete && r.EndTime is not null));
        RecordingChecks.AssertSegments(rows, SegmentSeconds, 1.0, "h264", "aac");
        RecordingChecks.AssertNoFrameLost(h, rows);
    }

    [Fact]
    public async Task H265_with_PCMU_over_UDP_records_and_keeps_the_audio()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Video = "h265", Audio = "pcmu", Gop = 15 });
        await using var h = await RecordingHarness.StartAsync(Stream("udp", camera.Url, protocol: 1));
        await h.WaitForCompleteAsync("udp", 2, TimeSpan.FromSeconds(30));
        await h.StopAsync();
        RecordingChecks.AssertSegments(await h.RowsAsync("udp"), SegmentSeconds, 1.0, "hevc", "pcm_mulaw");
    }

    [Fact]
    public async Task Digest_auth_and_B_frames_record_cleanly()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Video = "h264", Audio = "aac", Gop = 15, BFrames = 2, Auth = "digest" });
        await using var h = await RecordingHarness.StartAsync(Stream("bframes", camera.UrlWithCredentials));
        await h.WaitForCompleteAsync("bframes", 2, TimeSpan.FromSeconds(30));
        await h.StopAsync();
        var rows = await h.RowsAsync("bframes");
        RecordingChecks.AssertSegments(rows, SegmentSeconds, 1.0, "h264", "aac");
        RecordingChecks.AssertNoFrameLost(h, rows);
    }

    [Fact]
    public async Task Basic_auth_with_record_audio_off_drops_the_audio_track()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Video = "h264", Audio = "aac", Gop = 15, Auth = "basic" });
        await using var h = await RecordingHarness.StartAsync(Stream("noaudio", camera.UrlWithCredentials, recordAudio: false));
        await h.WaitForCompleteAsync("noaudio", 2, TimeSpan.FromSeconds(30));
        await h.StopAsync();
        RecordingChecks.AssertSegments(await h.RowsAsync("noaudio"), SegmentSeconds, 1.0, "h264", null);
    }
}
