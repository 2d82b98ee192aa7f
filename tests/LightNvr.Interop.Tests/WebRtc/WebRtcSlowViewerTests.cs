using LightNvr.Cameras;
using LightNvr.Interop.Tests.Live;
using LightNvr.Interop.Tests.Support;
using LightNvr.Live;
using LightNvr.Live.WebRtc;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.WebRtc;

/// <summary>
/// A WebRTC viewer that stops taking frames loses frames; it never holds back the camera, the recording or another
/// viewer. The stalled viewer here is a real peer (<see cref="WebRtcPeerTests.Peer"/>: UDP, STUN, BouncyCastle DTLS)
/// that answers ICE but does not finish DTLS, so its session cannot send and its hub queue (400 frames) fills while a
/// second peer plays the same GStreamer camera (H.264 15 fps, PCMU: ~65 frames/s) and the recorder records it.
/// </summary>
public sealed class WebRtcSlowViewerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_stalled_viewer_drops_frames_while_the_camera_the_recording_and_another_viewer_go_on()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "pcmu", Gop = 30 });
        await using var server = await LiveHarness.StartServerAsync(new RtspCameraSourceFactory(TimeProvider.System),
            LiveHarness.Stream("cam", camera, record: true));
        await server.WaitRunningAsync("cam", TimeSpan.FromSeconds(20));
        Assert.True(server.App.Services.GetRequiredService<LiveStreams>().TryGet("cam", out var stream));
        using var http = server.Client();

        var stalledIdentity = DtlsIdentity.CreateEphemeral(TimeProvider.System);
        await using var stalled = await WebRtcPeerTests.Peer.OfferAsync(http, stalledIdentity);
        Assert.True(stalled.Check(useCandidate: true), "the stalled peer's ICE check answered");
        var goodIdentity = DtlsIdentity.CreateEphemeral(TimeProvider.System);
        await using var good = await WebRtcPeerTests.Peer.OfferAsync(http, goodIdentity);
        Assert.True(good.Check(useCandidate: true));
        var keys = good.Handshake(goodIdentity);

        long Recorded() => stream.Hub.SubscriptionStats.Where(s => s.Name == "recorder").Sum(s => s.Frames);
        var recordedBefore = Recorded();
        var received = 0;
        var rounds = 0;
        while (rounds++ < 15 && !stream.Hub.SubscriptionStats.Any(s => s.Drops > 0))
        {
            // 2 s of the good viewer at a time (it keeps answering nothing else: consent lasts 30 s).
            received += good.ReceiveSrtp(keys, packets: int.MaxValue, TimeSpan.FromSeconds(2));
        }

        var stats = stream.Hub.SubscriptionStats;
        output.WriteLine(string.Join('\n', stats.Select(s => $"{s.Name} {s.Remote}: frames {s.Frames}, drops {s.Drops}, queued {s.Queued}")));
        output.WriteLine($"good viewer: {received} SRTP packets in {rounds * 2} s; recorder +{Recorded() - recordedBefore} frames");
        var dropping = Assert.Single(stats, s => s.Drops > 0);
        Assert.Equal("webrtc", dropping.Name);
        Assert.All(stats.Where(s => s.Name == "recorder"), s => Assert.Equal(0, s.Drops));
        Assert.True(Recorded() - recordedBefore >= 15L * 2 * (rounds - 1), "the recorder kept taking frames");
        Assert.True(received >= 50 * (rounds - 1), $"the playing viewer kept receiving ({received} packets)");
        Assert.Equal(1, MediaProbe.ConnectionsTo(camera.Port));

        // The stalled viewer comes back: it plays on from a keyframe after its gap instead of what it missed.
        Assert.True(stalled.Check(useCandidate: true));
        var stalledKeys = stalled.Handshake(stalledIdentity);
        Assert.True(stalled.ReceiveSrtp(stalledKeys, packets: 30, TimeSpan.FromSeconds(20)) >= 30, "the stalled viewer plays after its gap");
    }
}
