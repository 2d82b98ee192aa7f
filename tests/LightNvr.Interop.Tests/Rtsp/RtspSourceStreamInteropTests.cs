using LightNvr.Interop.Tests.Support;
using LightNvr.Media;
using LightNvr.Media.Rtsp;

namespace LightNvr.Interop.Tests.Rtsp;

/// <summary>
/// Longer-lived behaviour against real GStreamer cameras: B-frames through the client, RTCP receiver reports on both
/// transports, and a camera that restarts (the hub's retry is a new <see cref="RtspSource.RunAsync"/>).
/// </summary>
public sealed class RtspSourceStreamInteropTests
{
    [Fact]
    public async Task B_frames_arrive_with_composition_offsets()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { BFrames = 2, Gop = 30, Audio = "none" });
        var sink = new RecordingSink();
        await PlayAsync(new RtspSource(), camera.Url, RtspTransport.Tcp, sink, TimeSpan.FromSeconds(4));

        var video = sink.Frames.Where(f => f.Track.Kind == MediaKind.Video).ToArray();
        Assert.True(video.Length > 20, $"{video.Length} frames");
        Assert.Contains(video, f => f.CompositionOffset > 0);
        Assert.All(video, f => Assert.True(f.Pts >= 0));
    }

    [Theory]
    [InlineData(RtspTransport.Tcp)]
    [InlineData(RtspTransport.Udp)]
    public async Task Receiver_reports_are_sent_and_the_camera_keeps_streaming(RtspTransport transport)
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "pcmu" });
        var source = new RtspSource(new RtspClientOptions { ReceiverReportInterval = TimeSpan.FromMilliseconds(500) });
        await PlayAsync(source, camera.Url, transport, new RecordingSink(), TimeSpan.FromSeconds(3));

        Assert.True(source.Statistics.ReceiverReportsSent >= 4, $"{source.Statistics.ReceiverReportsSent} reports");
        Assert.True(source.Statistics.RtcpPackets > 0, "GStreamer sends sender reports");
        Assert.Equal(0, source.Statistics.MalformedMessages);
        Assert.Equal(0, source.GetTrackCounters(0).Malformed);
    }

    [Fact]
    public async Task A_restarted_camera_plays_again_on_the_next_run()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "none" });
        var source = new RtspSource();
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            var run = source.RunAsync(new Uri(camera.Url), RtspTransport.Tcp, new RecordingSink(), cts.Token);
            while (source.Statistics.Frames < 5 && !run.IsCompleted)
            {
                await Task.Delay(50);
            }

            camera.Restart();
            await Assert.ThrowsAsync<RtspException>(() => run);
        }

        var sink = new RecordingSink();
        await PlayAsync(source, camera.Url, RtspTransport.Tcp, sink, TimeSpan.FromSeconds(2));
        Assert.Contains(sink.Frames, f => f.IsKeyFrame);
    }

    /// <summary>Plays until <paramref name="duration"/> is over; any other end of the run fails the test.</summary>
    private static async Task PlayAsync(RtspSource source, string url, RtspTransport transport, IMediaSink sink,
        TimeSpan duration)
    {
        using var cts = new CancellationTokenSource(duration);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            source.RunAsync(new Uri(url), transport, sink, cts.Token));
    }
}
