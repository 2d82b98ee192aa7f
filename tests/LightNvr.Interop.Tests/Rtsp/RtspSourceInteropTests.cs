using LightNvr.Interop.Tests.Support;
using LightNvr.Media;
using LightNvr.Media.Rtsp;

namespace LightNvr.Interop.Tests.Rtsp;

/// <summary>
/// <see cref="RtspSource"/> against real GStreamer RTSP cameras (tests/cameras/rtsp_camera.py): every codec pair,
/// both transports, both auth schemes, and the failure paths a camera produces.
/// </summary>
public sealed class RtspSourceInteropTests
{
    /// <summary>Long enough for several GOPs (1 s each at the defaults) and a receiver report cycle start.</summary>
    private static readonly TimeSpan PlayFor = TimeSpan.FromSeconds(3);

    /// <summary>The most a test that waits for what it checks plays: a loaded machine's x265 camera starts slowly.</summary>
    private static readonly TimeSpan MaxPlayWhileWaiting = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("h264", "aac", RtspTransport.Tcp, MediaCodec.H264, MediaCodec.Aac)]
    [InlineData("h264", "aac", RtspTransport.Udp, MediaCodec.H264, MediaCodec.Aac)]
    [InlineData("h265", "pcmu", RtspTransport.Tcp, MediaCodec.H265, MediaCodec.Pcmu)]
    [InlineData("h265", "pcma", RtspTransport.Udp, MediaCodec.H265, MediaCodec.Pcma)]
    [InlineData("h265", "pcma", RtspTransport.Tcp, MediaCodec.H265, MediaCodec.Pcma)]
    public async Task Plays_every_track_of_the_camera(string video, string audio, RtspTransport transport,
        MediaCodec videoCodec, MediaCodec audioCodec)
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Video = video, Audio = audio });
        // At least PlayFor; longer (up to 20 s) while a loaded machine's x265 encoder has not yet sent what is checked.
        var (source, sink, error) = await PlayAsync(camera.Url, transport, PlayFor, (source, sink) =>
            sink.Frames.Count(f => f.Track.Id == 0) >= 15 && sink.Frames.Count(f => f.Track.Id == 1) >= 10
            && source.GetTrackPackets(0) > 10 && source.GetTrackPackets(1) > 10 && source.Statistics.BytesReceived > 10_000);

        Assert.Null(error);
        Assert.Equal([videoCodec, audioCodec], sink.Tracks.Select(t => t.Codec));
        Assert.Equal(90000, sink.Tracks[0].ClockRate);
        Assert.NotNull(sink.Tracks[0].Sps); // from sprop-parameter-sets / sprop-sps
        AssertPacketsOnEveryTrack(source, sink.Tracks.Count);
        if (audioCodec == MediaCodec.Aac)
        {
            Assert.NotNull(sink.Tracks[1].AudioSpecificConfig);
        }
        else
        {
            Assert.Equal(8000, sink.Tracks[1].SampleRate);
        }

        AssertFrames(sink, source, videoCodec, audioCodec);
    }

    /// <summary>Frames came out of the depacketizers: right codecs, keyframes, the camera's size from the SPS.</summary>
    private static void AssertFrames(RecordingSink sink, RtspSource source, MediaCodec videoCodec, MediaCodec? audioCodec)
    {
        var frames = sink.Frames.ToArray();
        var video = frames.Where(f => f.Track.Id == 0).ToArray();
        Assert.True(video.Length >= 15, $"{video.Length} video frames"); // ≥ 1 s at 15 fps
        Assert.All(video, f => Assert.Equal(videoCodec, f.Track.Codec));
        Assert.Contains(video, f => f.IsKeyFrame);
        Assert.All(video.Where(f => f.IsKeyFrame), f => Assert.True(f.Track.IsReady));
        Assert.Equal(640, video[^1].Track.Width);
        Assert.Equal(360, video[^1].Track.Height);
        Assert.All(video, f => Assert.True(f.Data.Length > 4));
        for (var i = 1; i < video.Length; i++)
        {
            Assert.True(video[i].Dts >= video[i - 1].Dts, $"DTS went back at frame {i}");
        }

        if (audioCodec is { } codec)
        {
            var audio = frames.Where(f => f.Track.Id == 1).ToArray();
            Assert.True(audio.Length >= 10, $"{audio.Length} audio frames");
            Assert.All(audio, f => Assert.Equal(codec, f.Track.Codec));
        }

        Assert.Equal(frames.Length, source.Statistics.Frames);
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("digest")]
    public async Task Authenticates_with_credentials_from_the_url(string auth)
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Auth = auth, Audio = "none" });
        var (source, sink, error) = await PlayAsync(camera.UrlWithCredentials, RtspTransport.Tcp, PlayFor);

        Assert.Null(error);
        Assert.Single(sink.Tracks);
        AssertPacketsOnEveryTrack(source, 1);
        AssertFrames(sink, source, MediaCodec.H264, null);
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("digest")]
    public async Task Wrong_password_is_a_clear_401_without_the_password(string auth)
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Auth = auth, Audio = "none" });
        const string wrong = "Wr0ng-P4ss";
        var url = $"rtsp://admin:{wrong}@127.0.0.1:{camera.Port}/cam";
        var (_, _, error) = await PlayAsync(url, RtspTransport.Tcp, TimeSpan.FromSeconds(10));

        var rtsp = Assert.IsType<RtspException>(error);
        Assert.Equal(401, rtsp.StatusCode);
        Assert.True(rtsp.IsUnauthorized);
        Assert.DoesNotContain(wrong, rtsp.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(camera.Options.Password, rtsp.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_credentials_is_a_401()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Auth = "digest", Audio = "none" });
        var (_, _, error) = await PlayAsync(camera.Url, RtspTransport.Tcp, TimeSpan.FromSeconds(10));

        Assert.Equal(401, Assert.IsType<RtspException>(error).StatusCode);
    }

    [Theory]
    [InlineData(RtspTransport.Tcp)]
    [InlineData(RtspTransport.Udp)]
    public async Task Camera_stopped_mid_stream_ends_the_run_with_an_error(RtspTransport transport)
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "none" });
        var source = new RtspSource();
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var run = source.RunAsync(new Uri(camera.Url), transport, sink, cts.Token);
        await WaitUntilAsync(() => source.Statistics.RtpPackets > 10, TimeSpan.FromSeconds(8));

        camera.Stop();
        var stopped = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<RtspException>(() => run);

        Assert.True(DateTime.UtcNow - stopped < TimeSpan.FromSeconds(5), $"took {DateTime.UtcNow - stopped}");
        Assert.Contains("closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Udp_refused_by_the_camera_is_a_clear_setup_error()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "none", Transports = "tcp" });
        var (_, _, error) = await PlayAsync(camera.Url, RtspTransport.Udp, TimeSpan.FromSeconds(10));

        var rtsp = Assert.IsType<RtspException>(error);
        Assert.Equal("SETUP", rtsp.Method);
        Assert.Equal(461, rtsp.StatusCode);
    }

    [Fact]
    public async Task Unreachable_camera_fails_within_the_connect_timeout()
    {
        var port = FreePort.Next();
        var (_, _, error) = await PlayAsync($"rtsp://127.0.0.1:{port}/cam", RtspTransport.Tcp, TimeSpan.FromSeconds(10));

        Assert.Contains("cannot connect", Assert.IsType<RtspException>(error).Message, StringComparison.Ordinal);
    }

    private static void AssertPacketsOnEveryTrack(RtspSource source, int trackCount)
    {
        for (var i = 0; i < trackCount; i++)
        {
            Assert.True(source.GetTrackPackets(i) > 10, $"track {i}: {source.GetTrackPackets(i)} packets");
        }

        Assert.Equal(0, source.Statistics.MalformedMessages);
        Assert.Equal(0, source.Statistics.MalformedRtpPackets);
        Assert.True(source.Statistics.BytesReceived > 10_000);
    }

    /// <summary>Plays for <paramref name="duration"/>; returns the error if the run failed before that.</summary>
    private static async Task<(RtspSource Source, RecordingSink Sink, Exception? Error)> PlayAsync(string url,
        RtspTransport transport, TimeSpan duration, Func<RtspSource, RecordingSink, bool>? enough = null)
    {
        var source = new RtspSource();
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource(enough is null ? duration : MaxPlayWhileWaiting);
        var watcher = enough is null ? Task.CompletedTask : Task.Run(async () =>
        {
            await Task.Delay(duration);
            while (!cts.IsCancellationRequested && !enough(source, sink))
            {
                await Task.Delay(100);
            }
            await cts.CancelAsync();
        });
        try
        {
            await source.RunAsync(new Uri(url), transport, sink, cts.Token);
            return (source, sink, new InvalidOperationException("RunAsync returned without error or cancellation"));
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return (source, sink, null);
        }
        catch (Exception e)
        {
            return (source, sink, e);
        }
        finally
        {
            await cts.CancelAsync(); // ends the watcher when the run failed early
            await watcher;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(50);
        }
    }
}
