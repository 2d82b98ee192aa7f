using LightNvr.Data;
using LightNvr.Interop.Tests.Support;

namespace LightNvr.Interop.Tests.Restream;

/// <summary>
/// Real players (ffmpeg, GStreamer) read a real GStreamer camera through our RTSP restream server: TCP and UDP,
/// Basic auth with the server's users, wrong or missing credentials, auth disabled. Each test is bounded (≤ 30 s).
/// </summary>
public sealed class RestreamReadTests
{
    private static StreamConfig Camera(GstCamera camera, bool record = false) =>
        new() { Name = "cam", Url = camera.Url, Record = record };

    [Theory]
    [InlineData("tcp")]
    [InlineData("udp")]
    public async Task Ffmpeg_decodes_the_stream_with_auth(string transport)
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "aac" });
        await using var h = await RestreamHarness.StartAsync(streams: Camera(camera));
        var (exit, errors) = await MediaTool.FfmpegReadAsync(
            h.Url("cam", RestreamHarness.Admin, RestreamHarness.AdminPassword), transport);
        Assert.True(exit == 0, $"ffmpeg over {transport}: exit {exit}: {errors}");
        Assert.True(h.Server.Statistics.Plays >= 1);
    }

    [Fact]
    public async Task Viewer_reads_H265_with_PCMU_over_TCP()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Video = "h265", Audio = "pcmu" });
        await using var h = await RestreamHarness.StartAsync(streams: Camera(camera));
        var (exit, errors) = await MediaTool.FfmpegReadAsync(
            h.Url("cam", RestreamHarness.Viewer, RestreamHarness.ViewerPassword), "tcp");
        Assert.True(exit == 0, $"exit {exit}: {errors}");
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("udp")]
    public async Task GStreamer_reads_with_auth(string transport)
    {
        // Video only: with an audio track and only video linked, rtspsrc stops ("reason not-linked") when an audio
        // packet comes before the first video one (it counts a stream as not-linked until its first buffer); linking
        // audio to a sink instead leaves the pipeline waiting for an audio EOS over UDP. Seen in fresh-clone runs; a
        // property of this gst-launch pipeline, not of the server. ffmpeg reads audio and video (RestreamReadTests).
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "none" });
        await using var h = await RestreamHarness.StartAsync(streams: Camera(camera, record: true));
        var (exit, output) = await MediaTool.RunAsync("gst-launch-1.0",
            ["-v", "rtspsrc", $"location={h.Url("cam")}", $"protocols={transport}", $"user-id={RestreamHarness.Admin}",
             $"user-pw={RestreamHarness.AdminPassword}", "name=s", "s.", "!", "application/x-rtp,media=video", "!",
             "rtph264depay", "!", "h264parse", "!", "avdec_h264", "!", "identity", "eos-after=30", "!", "fakesink",
             "silent=false"],
            TimeSpan.FromSeconds(25),
            // rtspsrc's warnings with their times ("The server closed the connection", a reconnect), which -q hides:
            // the (udp) case failed once in a full run with end-of-file on the PAUSE at EOS, cause not found.
            new Dictionary<string, string> { ["GST_DEBUG"] = "rtspsrc:2", ["GST_DEBUG_NO_COLOR"] = "1" });
        var stats = h.Server.Statistics;
        // Every decoded picture reaches fakesink, which prints a "chain" line for it (-v, silent=false); eos-after=30
        // lets 29 through. Known and open (session 12's note): in about one full run in three, the connection ends when
        // rtspsrc sends PAUSE at that EOS (tcp and udp alike; the server saw the PAUSE, no timeout, eviction or internal
        // error). The pictures were read by then, which is what this test is about, so only that shutdown error is
        // forgiven, and only after all 29 pictures; any other error, or fewer pictures, still fails.
        var pictures = output.Split('\n').Count(l => l.Contains("last-message = chain", StringComparison.Ordinal));
        var errors = output.Split('\n').Where(l => l.StartsWith("ERROR:", StringComparison.Ordinal)).ToList();
        var onlyPauseAtEos = exit != 0 && errors.Count > 0 && output.Contains("gst_rtspsrc_pause", StringComparison.Ordinal) &&
            errors.All(l => l.Contains("Could not write to resource", StringComparison.Ordinal));
        Assert.True(pictures >= 29, $"{pictures} decoded pictures of 29: {output}");
        Assert.True(exit == 0 || onlyPauseAtEos, $"gst-launch exit {exit}: {output}\nserver: connections {stats.Connections}, requests " +
            $"{stats.Requests}, plays {stats.Plays}, timeouts {stats.Timeouts}, evictions {stats.Evictions}, internal errors " +
            $"{stats.InternalErrors}, malformed {stats.MalformedMessages}, auth failures {stats.AuthFailures}");
    }

    [Fact]
    public async Task Wrong_or_missing_credentials_get_401()
    {
        using var camera = GstCamera.Start();
        await using var h = await RestreamHarness.StartAsync(streams: Camera(camera));
        var (exit, errors) = await MediaTool.FfmpegReadAsync(h.Url("cam", RestreamHarness.Admin, "wrong-password"), "tcp", 1);
        Assert.NotEqual(0, exit);
        Assert.Contains("401", errors);
        Assert.DoesNotContain("wrong-password", errors.Replace(h.Url("cam", RestreamHarness.Admin, "wrong-password"), ""));
        (exit, errors) = await MediaTool.FfmpegReadAsync(h.Url("cam"), "tcp", 1);
        Assert.NotEqual(0, exit);
        Assert.Contains("401", errors);
        (exit, errors) = await MediaTool.FfmpegReadAsync(h.Url("nope", RestreamHarness.Admin, RestreamHarness.AdminPassword), "tcp", 1);
        Assert.NotEqual(0, exit);
        Assert.Contains("404", errors);
        Assert.True(h.Server.Statistics.AuthFailures >= 2);
    }

    [Fact]
    public async Task Auth_disabled_needs_no_credentials()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "none" });
        await using var h = await RestreamHarness.StartAsync(authEnabled: false, streams: Camera(camera));
        var (exit, errors) = await MediaTool.FfmpegReadAsync(h.Url("cam"), "tcp");
        Assert.True(exit == 0, $"exit {exit}: {errors}");
    }

    [Fact]
    public async Task Ad_hoc_go2rtc_source_is_served_too()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "none" });
        await using var h = await RestreamHarness.StartAsync();
        Assert.True(await h.Live.PutAsync("adhoc", camera.Url));
        var (exit, errors) = await MediaTool.FfmpegReadAsync(
            h.Url("adhoc", RestreamHarness.Admin, RestreamHarness.AdminPassword), "tcp", 2);
        Assert.True(exit == 0, $"exit {exit}: {errors}");
    }
}
