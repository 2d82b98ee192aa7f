using System.Diagnostics;
using LightNvr.Data;
using LightNvr.Interop.Tests.Mp4;
using LightNvr.Interop.Tests.Support;

namespace LightNvr.Interop.Tests.Restream;

/// <summary>
/// Sources other than RTSP (issue 17 item 5), each turned into H.264 by an ffmpeg child publishing into the stream:
/// a go2rtc-style <c>ffmpeg:</c> file source and an HTTP MJPEG camera (ffmpeg's own HTTP server with its mpjpeg
/// muxer, a real MJPEG peer). The hub gets frames, the recorder writes a segment that decodes, a reader gets the stream
/// back over RTSP, and nobody but the source's own ffmpeg may publish into such a stream.
/// </summary>
public sealed class FfmpegSourceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ffsrc-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task An_ffmpeg_file_source_is_recorded_and_served()
    {
        var file = Path.Combine(_folder, "clip.mp4");
        Ffmpeg.Generate("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=3", "-c:v", "libx264", "-g", "25",
            "-pix_fmt", "yuv420p", file);
        await using var h = await RestreamHarness.StartAsync();
        await h.AddStreamAsync(new StreamConfig { Name = "clip", Url = $"ffmpeg:{file}", Record = true, SegmentDuration = 60 });

        await h.WaitForFramesAsync("clip", 50, TimeSpan.FromSeconds(20)); // 2 s of video: the 3 s file loops in real time
        var (exit, errors) = await MediaTool.FfmpegReadAsync(h.Url("clip", RestreamHarness.Admin, RestreamHarness.AdminPassword), "tcp");
        Assert.True(exit == 0, $"reader exit {exit}: {errors}");
        Assert.True(await h.RecordingRowsAsync("clip") > 0, "no recording row for the ffmpeg source");

        // Only the stream's own ffmpeg publishes into it: an admin's publisher is refused.
        var (publishExit, publishErrors) = await MediaTool.FfmpegPublishAsync(h.Url("clip", RestreamHarness.Admin, RestreamHarness.AdminPassword), 1);
        Assert.NotEqual(0, publishExit);
        Assert.Contains("403", publishErrors);

        // The same as an ad-hoc go2rtc source (PUT /go2rtc/api/streams), encoded: started on demand by a reader.
        Assert.True(await h.Live.PutAsync("adhoc", $"ffmpeg:{file}#video=h264"));
        (exit, errors) = await MediaTool.FfmpegReadAsync(h.Url("adhoc", RestreamHarness.Admin, RestreamHarness.AdminPassword), "tcp");
        Assert.True(exit == 0, $"ad-hoc reader exit {exit}: {errors}");
    }

    [Fact]
    public async Task An_http_mjpeg_camera_is_encoded_to_h264()
    {
        var port = FreePort.Next();
        using var camera = Process.Start(new ProcessStartInfo("ffmpeg",
        [
            "-v", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=10", "-c:v", "mjpeg", "-q:v", "5",
            "-f", "mpjpeg", "-listen", "1", $"http://127.0.0.1:{port}/video.mjpg",
        ]) { RedirectStandardError = true })!;
        try
        {
            await using var h = await RestreamHarness.StartAsync();
            await h.AddStreamAsync(new StreamConfig { Name = "mjpeg", Url = $"http://127.0.0.1:{port}/video.mjpg", Record = true, SegmentDuration = 60 });
            await h.WaitForFramesAsync("mjpeg", 20, TimeSpan.FromSeconds(20));
            var (exit, errors) = await MediaTool.FfmpegReadAsync(h.Url("mjpeg", RestreamHarness.Admin, RestreamHarness.AdminPassword), "tcp");
            Assert.True(exit == 0, $"reader exit {exit}: {errors}");
            Assert.True(h.Cameras.TryGet("mjpeg", out var stream));
            Assert.Equal(Media.MediaCodec.H264, Assert.Single(stream.Hub.Tracks).Codec); // video only: audio was not asked for
        }
        finally
        {
            camera.Kill(entireProcessTree: true);
            await camera.WaitForExitAsync();
        }
    }
}
