using LightNvr.Restream;

namespace LightNvr.Tests.Restream;

public sealed class FfmpegSourceUrlTests
{
    [Theory]
    [InlineData("ffmpeg:rtsp://cam/stream#video=h264", "rtsp://cam/stream", "h264", "none", false)]
    [InlineData("ffmpeg:/srv/clips/door.mp4", "/srv/clips/door.mp4", "copy", "none", true)]
    [InlineData("ffmpeg:http://cam/video.mjpg#video=h264#audio=aac", "http://cam/video.mjpg", "h264", "aac", false)]
    [InlineData("ffmpeg:clip.mkv#input=file#audio=copy", "clip.mkv", "copy", "copy", true)]
    [InlineData("http://cam/video.mjpg", "http://cam/video.mjpg", "h264", "none", false)]
    [InlineData("ffmpeg:rtsps://user:pw@cam:322/main", "rtsps://user:pw@cam:322/main", "copy", "none", false)]
    public void Sources_parse_with_go2rtc_options_and_defaults(string url, string input, string video, string audio, bool file)
    {
        var source = FfmpegSourceUrl.Parse(url, out var error);
        Assert.Equal("", error);
        Assert.Equal(new FfmpegSourceUrl(input, video, audio, file), source);
        Assert.True(FfmpegSourceUrl.Handles(url));
    }

    [Theory]
    [InlineData("ffmpeg:", "needs an input")]
    [InlineData("ffmpeg:rtsp://cam#video=vp9", "unknown ffmpeg: option '#video=vp9'")]
    [InlineData("ffmpeg:rtsp://cam#hardware", "unknown ffmpeg: option '#hardware'")]
    [InlineData("ffmpeg:a\nb", "needs an input")]
    [InlineData("rtsp://cam/stream", "not an ffmpeg:")]
    [InlineData("rtsps://cam/stream", "not an ffmpeg:")]
    [InlineData("ffmpeg:/srv/a.jpg#input=snapshot", "needs an http:// or https:// URL")]
    [InlineData("ffmpeg:http://cam/snap.jpg#input=snapshot#rate=0", "from 1 to 10")]
    [InlineData("ffmpeg:http://cam/snap.jpg#input=snapshot#rate=11", "from 1 to 10")]
    [InlineData("ffmpeg:http://cam/snap.jpg#input=snapshot#rate=x", "from 1 to 10")]
    [InlineData("ffmpeg:http://cam/snap.jpg#input=snapshot#audio=aac", "no #input=file, #audio")]
    [InlineData("ffmpeg:http://cam/snap.jpg#input=snapshot#video=copy", "no #input=file, #audio")]
    [InlineData("ffmpeg:rtsp://cam/a#rate=2", "#rate applies to #input=snapshot only")]
    public void Bad_sources_say_what_is_wrong(string url, string message)
    {
        Assert.Null(FfmpegSourceUrl.Parse(url, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rtsp://cam/stream")]
    [InlineData("rtsps://cam/stream")]
    public void Plain_rtsp_and_rtsps_stay_with_the_built_in_client(string url) => Assert.False(FfmpegSourceUrl.Handles(url));

    [Theory]
    [InlineData("ffmpeg:http://u:p@cam/snap.jpg#input=snapshot", "http://u:p@cam/snap.jpg", 1)]
    [InlineData("ffmpeg:https://cam/cgi-bin/snapshot.cgi?ch=1#input=snapshot#rate=5", "https://cam/cgi-bin/snapshot.cgi?ch=1", 5)]
    [InlineData("ffmpeg:http://cam/s.jpg#rate=10#input=snapshot#video=h264", "http://cam/s.jpg", 10)]
    public void Snapshot_cameras_parse_with_their_rate(string url, string input, int rate)
    {
        var source = FfmpegSourceUrl.Parse(url, out var error);
        Assert.Equal("", error);
        Assert.Equal(new FfmpegSourceUrl(input, "h264", "none", false, rate), source);
        Assert.True(source!.IsSnapshot);
        var args = source.Arguments("rtsp://x/a");
        var r = rate.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(["-f", "image2pipe", "-framerate", r, "-c:v", "mjpeg", "-use_wallclock_as_timestamps", "1", "-i", "pipe:0"], args.Skip(3).Take(10));
        Assert.Equal(["-r", r], args.SkipWhile(a => a != "-r").Take(2));
        Assert.DoesNotContain(input, args); // the URL (and its credentials) is ours to fetch, never ffmpeg's
        Assert.DoesNotContain("-nostdin", args);
    }

    [Fact]
    public void Arguments_copy_or_encode_loop_files_and_publish_over_tcp()
    {
        var file = FfmpegSourceUrl.Parse("ffmpeg:/clips/a.mp4", out _)!.Arguments("rtsp://u:p@127.0.0.1:8554/a");
        Assert.Equal(["-re", "-stream_loop", "-1", "-i", "/clips/a.mp4"], file.Skip(4).Take(5));
        Assert.Equal(["-c:v", "copy"], file.SkipWhile(a => a != "-c:v").Take(2));
        Assert.DoesNotContain("-c:a", file);
        Assert.Equal(["-f", "rtsp", "-rtsp_transport", "tcp", "rtsp://u:p@127.0.0.1:8554/a"], file.TakeLast(5));

        var mjpeg = FfmpegSourceUrl.Parse("ffmpeg:http://cam/v.mjpg#video=h264#audio=opus", out _)!.Arguments("rtsp://x/a");
        Assert.Equal(["-c:v", "libx264"], mjpeg.SkipWhile(a => a != "-c:v").Take(2));
        var audio = mjpeg.ToList().IndexOf("0:a:0?");
        Assert.Equal(["-map", "0:a:0?", "-c:a", "libopus"], mjpeg.Skip(audio - 1).Take(4));
    }

    [Fact]
    public void An_https_input_is_checked_by_ffmpeg_as_the_camera_tls_policy_says()
    {
        var https = FfmpegSourceUrl.Parse("ffmpeg:https://cam/live.mp4#video=h264", out _)!;
        var checkedArgs = https.Arguments("rtsp://x/a");
        Assert.Equal(["-tls_verify", "1", "-i", "https://cam/live.mp4"], checkedArgs.SkipWhile(a => a != "-tls_verify").Take(4));
        var pinned = https.Arguments("rtsp://x/a", new LightNvr.Media.Rtsp.CameraTlsOptions { CaFile = "/etc/lightnvr/cams.pem" });
        Assert.Equal(["-tls_verify", "1", "-ca_file", "/etc/lightnvr/cams.pem", "-i"], pinned.SkipWhile(a => a != "-tls_verify").Take(5));
        var off = https.Arguments("rtsp://x/a", new LightNvr.Media.Rtsp.CameraTlsOptions { VerifyCertificate = false, CaFile = "/x.pem" });
        Assert.DoesNotContain("-tls_verify", off);
        Assert.DoesNotContain("-ca_file", off);
        Assert.Contains("-tls_verify", FfmpegSourceUrl.Parse("https://cam/video.mjpg", out _)!.Arguments("rtsp://x/a")); // MJPEG over HTTPS
        Assert.DoesNotContain("-tls_verify", FfmpegSourceUrl.Parse("http://cam/video.mjpg", out _)!.Arguments("rtsp://x/a"));

        var on = new LightNvr.Media.Rtsp.CameraTlsOptions();
        Assert.Null(https.TlsRefusal(on));
        var rtsps = FfmpegSourceUrl.Parse("ffmpeg:rtsps://cam:322/live#video=h264", out _)!;
        Assert.Contains("ffmpeg cannot check the TLS certificate of a rtsps:// input", rtsps.TlsRefusal(on), StringComparison.Ordinal);
        Assert.Null(rtsps.TlsRefusal(on with { VerifyCertificate = false }));
        Assert.NotNull(FfmpegSourceUrl.Parse("ffmpeg:rtmps://cam/live", out _)!.TlsRefusal(on));
        Assert.Null(FfmpegSourceUrl.Parse("ffmpeg:rtsp://cam/live", out _)!.TlsRefusal(on));
    }
}
