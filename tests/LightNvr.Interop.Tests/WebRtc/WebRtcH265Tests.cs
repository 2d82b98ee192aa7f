using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LightNvr.Interop.Tests.Live;
using LightNvr.Interop.Tests.Support;

namespace LightNvr.Interop.Tests.WebRtc;

/// <summary>
/// An H.265 camera (GStreamer, x265) is not playable over WebRTC (browsers decode no H.265 over WebRTC reliably and
/// the server never transcodes video): the offer is answered 415 with a message the player shows while it falls back
/// to MSE/HLS. The offer is chromium-shaped (H.264 mode 1, VP8, opus/PCMU).
/// </summary>
public sealed class WebRtcH265Tests
{
    private static readonly string Offer = string.Join("\r\n",
        "v=0", "o=- 4611 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0 1",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111 0", "c=IN IP4 0.0.0.0", "a=ice-ufrag:cLiE", "a=ice-pwd:clientpasswordclientpass",
        "a=fingerprint:sha-256 " + string.Join(':', Enumerable.Repeat("AB", 32)), "a=setup:actpass", "a=mid:0",
        "a=recvonly", "a=rtcp-mux", "a=rtpmap:111 opus/48000/2", "a=rtpmap:0 PCMU/8000",
        "m=video 9 UDP/TLS/RTP/SAVPF 96 102", "c=IN IP4 0.0.0.0", "a=mid:1", "a=recvonly", "a=rtcp-mux",
        "a=rtpmap:96 VP8/90000", "a=rtpmap:102 H264/90000",
        "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", "");

    [Fact]
    public async Task An_H265_camera_is_refused_415_with_a_message_on_both_signalling_forms()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Video = "h265", Audio = "none" });
        await using var server = await LiveHarness.StartAsync(LiveHarness.Stream("cam", camera));
        await server.WaitRunningAsync("cam", TimeSpan.FromSeconds(30));
        using var client = server.Client();

        var json = new JsonObject { ["type"] = "offer", ["sdp"] = Offer }.ToJsonString();
        using var go2rtc = await client.PostAsync("/go2rtc/api/webrtc?src=cam", new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await go2rtc.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, go2rtc.StatusCode);
        Assert.Contains("H265", body);
        Assert.Contains("not playable over WebRTC", body);

        using var whep = await client.PostAsync("/go2rtc/api/webrtc?src=cam", new StringContent(Offer, Encoding.UTF8, "application/sdp"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, whep.StatusCode);
        Assert.Contains("not playable over WebRTC", await whep.Content.ReadAsStringAsync());
        Assert.Empty(server.Consumers.For("cam")); // nothing left subscribed
    }
}
