using System.Net;
using LightNvr.Media.Sdp;
using LightNvr.Media.WebRtc;

namespace LightNvr.Media.Tests.WebRtc;

/// <summary>The SDP answer to a chromium-shaped offer (audio, video, data channel) and the refusals.</summary>
public sealed class WebRtcAnswerBuilderTests
{
    private static readonly string Fingerprint = "sha-256 " + string.Join(':', Enumerable.Repeat("AB", 32));

    /// <summary>Shaped like chromium's recvonly offer: BUNDLE, opus/PCMU/PCMA, VP8 + three H.264 profiles, SCTP.</summary>
    private static readonly string Offer = string.Join("\r\n",
        "v=0", "o=- 4611 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0 1 2", "a=msid-semantic: WMS",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111 0 8", "c=IN IP4 0.0.0.0", "a=rtcp:9 IN IP4 0.0.0.0",
        "a=ice-ufrag:cLiE", "a=ice-pwd:clientpasswordclientpass", "a=ice-options:trickle",
        "a=fingerprint:" + Fingerprint, "a=setup:actpass", "a=mid:0", "a=recvonly", "a=rtcp-mux",
        "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1", "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000",
        "m=video 9 UDP/TLS/RTP/SAVPF 96 102 127 108", "c=IN IP4 0.0.0.0",
        "a=ice-ufrag:cLiE", "a=ice-pwd:clientpasswordclientpass", "a=fingerprint:" + Fingerprint, "a=setup:actpass",
        "a=mid:1", "a=recvonly", "a=rtcp-mux", "a=rtpmap:96 VP8/90000",
        "a=rtpmap:102 H264/90000", "a=rtcp-fb:102 nack", "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f",
        "a=rtpmap:127 H264/90000", "a=fmtp:127 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f",
        "a=rtpmap:108 H264/90000", "a=fmtp:108 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f",
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 0.0.0.0", "a=mid:2", "a=sctp-port:5000", "");

    private static readonly WebRtcLocalParameters Local = new("srvU", "serverpasswordserverpass", "sha-256 01:02",
        [new IPEndPoint(IPAddress.Loopback, 40000)], 77);

    private static MediaTrack Video(byte profile) => new()
    {
        Id = 0, Codec = MediaCodec.H264, ClockRate = 90000, Sps = [0x67, profile, 0x00, 0x1f], Pps = [0x68, 0xce],
    };

    private static readonly MediaTrack Pcmu = new() { Id = 1, Codec = MediaCodec.Pcmu, ClockRate = 8000, SampleRate = 8000, Channels = 1 };

    [Theory]
    [InlineData(0x4d, 108)]
    [InlineData(0x42, 102)]
    [InlineData(0x64, 102)] // no High format offered: the first mode-1 H.264
    public void The_answer_picks_the_H264_format_of_the_cameras_profile(byte profile, int expectedPt)
    {
        var result = WebRtcAnswerBuilder.Negotiate(Offer, [Video(profile), Pcmu], Local);
        Assert.True(result.Ok, result.Error);
        var video = Assert.Single(result.Media, m => m.Kind == MediaKind.Video);
        Assert.Equal(expectedPt, video.PayloadType);
        Assert.Equal("1", video.Mid);
        Assert.Contains($"m=video 9 UDP/TLS/RTP/SAVPF {expectedPt}\r\n", result.Answer);
    }

    [Fact]
    public void The_answer_is_ice_lite_passive_bundled_and_parses()
    {
        var result = WebRtcAnswerBuilder.Negotiate(Offer, [Video(0x42), Pcmu], Local);
        Assert.True(result.Ok, result.Error);
        Assert.Equal("cLiE", result.RemoteUfrag);
        Assert.Equal("clientpasswordclientpass", result.RemotePwd);
        Assert.Equal(32, result.Fingerprint.Length);
        Assert.True(SdpSessionDescription.TryParse(result.Answer!, out var answer, out var error), error);
        Assert.Equal("BUNDLE 0 1", answer!.GetAttribute("group"));
        Assert.NotNull(answer.Attributes.Find(a => a.Name == "ice-lite"));
        Assert.Equal(3, answer.Media.Count);
        var audio = answer.Media[0];
        Assert.Equal("0", Assert.Single(audio.Formats));
        Assert.NotNull(audio.Attributes.Find(a => a.Name == "sendonly"));
        var video = answer.Media[1];
        Assert.Equal("passive", video.GetAttribute("setup"));
        Assert.Equal("sha-256 01:02", video.GetAttribute("fingerprint"));
        Assert.Equal("srvU", video.GetAttribute("ice-ufrag"));
        Assert.Contains(video.Attributes, a => a is { Name: "candidate", Value: "1 1 udp 2130706175 127.0.0.1 40000 typ host" });
        Assert.Contains(video.Attributes, a => a is { Name: "rtcp-fb", Value: "102 nack pli" });
        Assert.Equal(0, answer.Media[2].Port); // data channel rejected
    }

    [Fact]
    public void Audio_the_camera_does_not_send_is_inactive()
    {
        var result = WebRtcAnswerBuilder.Negotiate(Offer, [Video(0x42)], Local);
        Assert.True(result.Ok, result.Error);
        Assert.Single(result.Media);
        Assert.Contains("a=inactive", result.Answer);
    }

    [Theory]
    [InlineData("", 400, "empty")]
    [InlineData("garbage", 400, "SDP")]
    public void Malformed_offers_are_400(string offer, int status, string word)
    {
        var result = WebRtcAnswerBuilder.Negotiate(offer, [Video(0x42)], Local);
        Assert.False(result.Ok);
        Assert.Equal(status, result.ErrorStatus);
        Assert.Contains(word, result.Error);
    }

    [Fact]
    public void Missing_credentials_fingerprint_or_H264_are_refused()
    {
        Assert.Equal(400, WebRtcAnswerBuilder.CheckOffer(Offer.Replace("a=ice-pwd:clientpasswordclientpass\r\n", "", StringComparison.Ordinal))!.ErrorStatus);
        Assert.Equal(400, WebRtcAnswerBuilder.CheckOffer(Offer.Replace("sha-256", "sha-1", StringComparison.Ordinal))!.ErrorStatus);
        var noH264 = Offer.Replace("packetization-mode=1", "packetization-mode=0", StringComparison.Ordinal);
        Assert.Equal(415, WebRtcAnswerBuilder.CheckOffer(noH264)!.ErrorStatus);
        Assert.Null(WebRtcAnswerBuilder.CheckOffer(Offer));
        var h265 = new MediaTrack { Id = 0, Codec = MediaCodec.H265, ClockRate = 90000 };
        var refused = WebRtcAnswerBuilder.Negotiate(Offer, [h265], Local);
        Assert.Equal(415, refused.ErrorStatus);
        Assert.Contains("H265", refused.Error);
    }
}
