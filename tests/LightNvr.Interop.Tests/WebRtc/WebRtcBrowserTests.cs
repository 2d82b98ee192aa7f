using System.Text.Json.Nodes;
using LightNvr.Interop.Tests.Live;
using LightNvr.Interop.Tests.Support;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.WebRtc;

/// <summary>
/// Headless Debian chromium (tests/browser/play.mjs, playwright-core, no downloaded browser) opens an
/// RTCPeerConnection to the server, which plays a GStreamer RTSP camera (H.264, 4 s GOP, G.711 µ-law audio) over
/// WebRTC: ICE-lite, DTLS 1.2 (BouncyCastle), the project's SRTP. Three signalling paths: go2rtc's JSON POST, WHEP
/// (raw SDP, 201 + Location, DELETE) and go2rtc's WebSocket <c>webrtc/offer</c>. Judged by chromium's own getStats
/// (framesDecoded growing) and the video element (size, first frame via requestVideoFrameCallback). Also: chromium's
/// transport stats name SRTP_AEAD_AES_128_GCM (RFC 7714, chosen in use_srtp); both HTTP paths' Location is DELETEd
/// (200); WHEP's trickle PATCH of chromium's candidates gets 204; the WebSocket path takes chromium's
/// <c>webrtc/candidate</c> messages and plays on.
/// </summary>
public sealed class WebRtcBrowserTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("webrtc")]
    [InlineData("whep")]
    [InlineData("webrtc-ws")]
    public async Task Chromium_plays_the_camera_over_WebRTC(string mode)
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "pcmu", Gop = 60 });
        await using var server = await LiveHarness.StartAsync(LiveHarness.Stream("cam", camera));
        await server.WaitRunningAsync("cam", TimeSpan.FromSeconds(20));
        var result = await BrowserPlaybackTests.PlayAsync(server, "cam", mode, seconds: 6);
        output.WriteLine(result.ToJsonString());

        Assert.Null((string?)result["error"]);
        Assert.Equal(640, (int)result["width"]!);
        Assert.Equal(360, (int)result["height"]!);
        Assert.NotNull(result["firstFrameMs"]);
        var stats = result["stats"]!.AsArray();
        var first = (long)stats[0]![1]!;
        var last = (long)stats[^1]![1]!;
        // 15 fps for ~6 s of samples: well over 40 more frames decoded, unless playback froze.
        Assert.True(last - first >= 40, $"framesDecoded grew only from {first} to {last}");
        Assert.Contains("connected", result["states"]!.AsArray().Select(s => (string?)s));
        Assert.True((bool?)result["audioTrack"] == true, "the PCMU track was negotiated");
        // chromium offers SRTP_AEAD_AES_128_GCM first in use_srtp; the server prefers it (RFC 7714).
        Assert.Equal("SRTP_AEAD_AES_128_GCM", (string?)result["srtpCipher"]);
        if (mode is "whep" or "webrtc")
        {
            // Both HTTP paths give the session a resource (Location) that DELETE ends.
            Assert.StartsWith("/go2rtc/api/webrtc/session/", (string?)result["location"]);
            Assert.Equal(200, (int)result["deleteStatus"]!);
        }

        if (mode == "whep")
        {
            Assert.Equal(204, (int)result["patchStatus"]!); // trickled candidates accepted and discarded (ICE-lite)
        }

        if (mode == "webrtc-ws")
        {
            Assert.True((int?)result["wsCandidates"] > 0, "chromium's candidates were sent as webrtc/candidate");
        }
    }
}
