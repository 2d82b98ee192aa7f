using System.Net;
using LightNvr.Media.Codecs.Aac;
using LightNvr.Media.Rtp;
using LightNvr.Media.Sdp;
using LightNvr.Media.WebRtc;

namespace LightNvr.Media.Tests.WebRtc;

/// <summary>AAC cameras: Opus in the answer when the server transcodes (RFC 7587), the ADTS framing fed to ffmpeg, and the Opus packetizer.</summary>
public sealed class WebRtcOpusAnswerTests
{
    private static readonly string Fingerprint = "sha-256 " + string.Join(':', Enumerable.Repeat("AB", 32));

    private static string Offer(string audioFormats, params string[] audioLines) => string.Join("\r\n",
        new[]
        {
            "v=0", "o=- 4611 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0 1",
            $"m=audio 9 UDP/TLS/RTP/SAVPF {audioFormats}", "c=IN IP4 0.0.0.0", "a=ice-ufrag:cLiE",
            "a=ice-pwd:clientpasswordclientpass", "a=fingerprint:" + Fingerprint, "a=setup:actpass", "a=mid:0",
            "a=recvonly", "a=rtcp-mux",
        }.Concat(audioLines).Concat(new[]
        {
            "m=video 9 UDP/TLS/RTP/SAVPF 102", "c=IN IP4 0.0.0.0", "a=mid:1", "a=recvonly", "a=rtcp-mux",
            "a=rtpmap:102 H264/90000", "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f", "",
        }));

    private static readonly WebRtcLocalParameters Local = new("srvU", "serverpasswordserverpass", "sha-256 01:02",
        [new IPEndPoint(IPAddress.Loopback, 40000)], 77);

    private static readonly MediaTrack Video = new()
    {
        Id = 0, Codec = MediaCodec.H264, ClockRate = 90000, Sps = [0x67, 0x42, 0x00, 0x1f], Pps = [0x68, 0xce],
    };

    private static readonly MediaTrack Aac = new()
    {
        Id = 1, Codec = MediaCodec.Aac, ClockRate = 16000, SampleRate = 16000, Channels = 1, AudioSpecificConfig = [0x14, 0x08],
    };

    [Fact]
    public void An_AAC_camera_is_answered_with_the_offers_opus_when_transcoding()
    {
        var offer = Offer("111 0 8", "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1",
            "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000");
        var result = WebRtcAnswerBuilder.Negotiate(offer, [Video, Aac], Local, opusForAac: true);
        Assert.True(result.Ok, result.Error);
        var audio = Assert.Single(result.Media, m => m.Kind == MediaKind.Audio);
        Assert.Equal(MediaCodec.Opus, audio.Codec);
        Assert.Equal(111, audio.PayloadType);
        Assert.Equal(48000, audio.ClockRate);
        Assert.Equal(WebRtcMediaPlan.TranscodedTrackId, audio.TrackId);
        Assert.True(SdpSessionDescription.TryParse(result.Answer!, out var answer, out var error), error);
        var section = answer!.Media[0];
        Assert.Equal("111", Assert.Single(section.Formats));
        Assert.Equal("111 opus/48000/2", section.GetAttribute("rtpmap"));
        Assert.NotNull(section.Attributes.Find(a => a.Name == "sendonly"));
    }

    [Fact]
    public void Without_transcoding_or_without_opus_in_the_offer_AAC_audio_is_inactive()
    {
        var withOpus = Offer("111", "a=rtpmap:111 opus/48000/2");
        var off = WebRtcAnswerBuilder.Negotiate(withOpus, [Video, Aac], Local, opusForAac: false);
        Assert.True(off.Ok, off.Error);
        Assert.DoesNotContain(off.Media, m => m.Kind == MediaKind.Audio);
        Assert.Contains("a=inactive", off.Answer);

        var noOpus = Offer("0", "a=rtpmap:0 PCMU/8000");
        var none = WebRtcAnswerBuilder.Negotiate(noOpus, [Video, Aac], Local, opusForAac: true);
        Assert.True(none.Ok, none.Error);
        Assert.DoesNotContain(none.Media, m => m.Kind == MediaKind.Audio);
    }

    [Fact]
    public void A_G711_camera_keeps_its_codec_even_when_transcoding_is_on()
    {
        var pcma = new MediaTrack { Id = 1, Codec = MediaCodec.Pcma, ClockRate = 8000, SampleRate = 8000, Channels = 1 };
        var offer = Offer("111 8", "a=rtpmap:111 opus/48000/2", "a=rtpmap:8 PCMA/8000");
        var result = WebRtcAnswerBuilder.Negotiate(offer, [Video, pcma], Local, opusForAac: true);
        var audio = Assert.Single(result.Media, m => m.Kind == MediaKind.Audio);
        Assert.Equal(MediaCodec.Pcma, audio.Codec);
        Assert.Equal(1, audio.TrackId);
    }

    [Fact]
    public void The_ADTS_header_carries_profile_rate_channels_and_length()
    {
        Assert.True(AudioSpecificConfig.TryParse([0x14, 0x08], out var config)); // AAC LC, 16 kHz, mono
        Span<byte> header = stackalloc byte[AdtsHeader.Length];
        Assert.True(AdtsHeader.TryWrite(config, 100, header));
        // FFF1, profile 1 (LC), index 8 (16 kHz), channels 1, frame length 107 (0x6B), fullness 0x7FF, 1 block.
        Assert.Equal(new byte[] { 0xFF, 0xF1, 0x60, 0x40, 0x0D, 0x7F, 0xFC }, header.ToArray());
        Assert.False(AdtsHeader.TryWrite(config, AdtsHeader.MaxFrameLength, header));
        Assert.False(AdtsHeader.TryWrite(config with { ChannelConfiguration = 0 }, 10, header));
    }

    [Fact]
    public void Opus_packets_go_out_one_per_RTP_packet_at_48_kHz()
    {
        var packetizer = new OpusPacketizer(111, 0x1234, 10, 1000, 1200);
        var track = new MediaTrack { Id = -1, Codec = MediaCodec.Opus, ClockRate = 48000, SampleRate = 48000, Channels = 2 };
        var packets = new List<byte[]>();
        Assert.Equal(1, packetizer.Packetize(new MediaFrame(track, 960, 0, true, new byte[] { 1, 2, 3 }, 0), p => packets.Add(p.ToArray())));
        Assert.Equal(0, packetizer.Packetize(new MediaFrame(track, 1920, 0, true, new byte[1300], 0), p => packets.Add(p.ToArray())));
        Assert.Equal(1, packetizer.Oversized);
        var packet = Assert.Single(packets);
        Assert.Equal(15, packet.Length);
        Assert.Equal(111, packet[1]); // marker 0
        Assert.Equal(1960u, (uint)((packet[4] << 24) | (packet[5] << 16) | (packet[6] << 8) | packet[7]));
        Assert.Equal(new byte[] { 1, 2, 3 }, packet[12..]);
    }

    [Fact]
    public void Two_way_audio_answers_sendrecv_only_when_accepted_and_offered_sendrecv()
    {
        var pcmu = new MediaTrack { Id = 1, Codec = MediaCodec.Pcmu, ClockRate = 8000, SampleRate = 8000, Channels = 1 };
        var sendrecv = Offer("111 0 8", "a=rtpmap:111 opus/48000/2", "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000")
            .Replace("a=mid:0\r\na=recvonly", "a=mid:0\r\na=sendrecv", StringComparison.Ordinal);
        var talk = WebRtcAnswerBuilder.Negotiate(sendrecv, [Video, pcmu], Local, acceptTalk: true);
        Assert.Equal(new WebRtcTalkPlan("0", 0, MediaCodec.Pcmu), talk.Talk);
        Assert.Contains("a=sendrecv", talk.Answer);

        var aac = WebRtcAnswerBuilder.Negotiate(sendrecv, [Video, Aac], Local, opusForAac: true, acceptTalk: true);
        Assert.Equal(MediaCodec.Opus, aac.Talk!.Codec); // the section carries Opus both ways

        var noAudio = WebRtcAnswerBuilder.Negotiate(sendrecv, [Video], Local, acceptTalk: true);
        Assert.Equal(MediaCodec.Pcmu, noAudio.Talk!.Codec);
        Assert.Contains("a=recvonly", noAudio.Answer);

        Assert.Null(WebRtcAnswerBuilder.Negotiate(sendrecv, [Video, pcmu], Local).Talk); // not allowed: sendonly
        Assert.Contains("a=sendonly", WebRtcAnswerBuilder.Negotiate(sendrecv, [Video, pcmu], Local).Answer);
        var recvonlyOffer = Offer("0", "a=rtpmap:0 PCMU/8000");
        Assert.Null(WebRtcAnswerBuilder.Negotiate(recvonlyOffer, [Video, pcmu], Local, acceptTalk: true).Talk);
    }
}
