using LightNvr.Live;
using LightNvr.Media;

namespace LightNvr.Tests.Live;

/// <summary>go2rtc MSE codec negotiation: only tracks the client lists, video first, no G.711 to a browser.</summary>
public sealed class CodecNegotiationTests
{
    private static readonly byte[] Sps = [0x67, 0x64, 0x00, 0x1F, 0xAC];
    private static readonly byte[] Pps = [0x68, 0xEE, 0x3C, 0x80];

    private static readonly MediaTrack H264 = new() { Id = 0, Codec = MediaCodec.H264, ClockRate = 90000, Sps = Sps, Pps = Pps };
    private static readonly MediaTrack H265 = new()
    {
        Id = 0, Codec = MediaCodec.H265, ClockRate = 90000, Vps = [0x40], Sps = [0x42], Pps = [0x44],
    };
    private static readonly MediaTrack Aac = new()
    {
        Id = 1, Codec = MediaCodec.Aac, ClockRate = 16000, AudioSpecificConfig = [0x14, 0x08], SampleRate = 16000, Channels = 1,
    };
    private static readonly MediaTrack Pcmu = new() { Id = 1, Codec = MediaCodec.Pcmu, ClockRate = 8000, SampleRate = 8000, Channels = 1 };

    public static TheoryData<string, MediaTrack[], string?, string> Cases => new()
    {
        { "browser offer: video and audio", [H264, Aac], "avc1.640029,hvc1.1.6.L153.B0,mp4a.40.2,opus", "avc1.64001F,mp4a.40.2" },
        { "no audio codecs listed: video only", [H264, Aac], "avc1.640029", "avc1.64001F" },
        { "G.711 is never sent to a browser", [H264, Pcmu], "avc1.640029,mp4a.40.2,flac,opus", "avc1.64001F" },
        { "empty list: go2rtc player defaults", [H264, Aac], "", "avc1.64001F,mp4a.40.2" },
        { "H.265 to a client without hvc1: nothing", [H265, Aac], "avc1.640029,mp4a.40.2", "mp4a.40.2" },
        { "avc3 also means H.264", [H264], "avc3.42E01E", "avc1.64001F" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Selects_the_tracks_the_client_accepts(string name, MediaTrack[] tracks, string? accepted, string expected)
    {
        var selected = CodecNegotiation.Select(tracks, accepted);
        Assert.True(expected == Media.Codecs.CodecString.For(selected), name);
    }

    [Fact]
    public void Mime_type_is_go2rtcs_answer_and_the_error_names_the_codec()
    {
        Assert.Equal("video/mp4; codecs=\"avc1.64001F,mp4a.40.2\"", CodecNegotiation.MimeType([H264, Aac]));
        Assert.Contains("H265", CodecNegotiation.Explain([H265, Aac], "avc1.640029"));
        Assert.Equal("stream has no video track", CodecNegotiation.Explain([Aac], null));
    }
}
