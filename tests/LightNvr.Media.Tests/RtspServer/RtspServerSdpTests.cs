using LightNvr.Media.Rtp;
using LightNvr.Media.Rtsp.Server;
using LightNvr.Media.Sdp;

namespace LightNvr.Media.Tests.RtspServer;

/// <summary>The SDP we generate parses with our SDP parser and gives back the same tracks through the depacketizer factory.</summary>
public sealed class RtspServerSdpTests
{
    public static TheoryData<string, MediaTrack> Tracks => new()
    {
        { "h264", ServerFrames.Video },
        { "h265", new MediaTrack { Id = 0, Codec = MediaCodec.H265, ClockRate = 90000, Vps = [0x40, 0x01, 0x0C], Sps = [0x42, 0x01, 0x01], Pps = [0x44, 0x01, 0xC1] } },
        { "aac", new MediaTrack { Id = 1, Codec = MediaCodec.Aac, ClockRate = 16000, AudioSpecificConfig = [0x14, 0x08], SampleRate = 16000, Channels = 1 } },
        { "pcmu", ServerFrames.Audio },
        { "pcma16k", new MediaTrack { Id = 2, Codec = MediaCodec.Pcma, ClockRate = 16000, SampleRate = 16000, Channels = 1 } },
    };

    [Theory]
    [MemberData(nameof(Tracks))]
    public void Generated_SDP_round_trips(string name, MediaTrack track)
    {
        var text = RtspServerSdp.Build([track], name, 1, "127.0.0.1");
        Assert.True(SdpSessionDescription.TryParse(text, out var sdp, out var error), error);
        var media = Assert.Single(sdp!.Media);
        Assert.Equal($"trackID={track.Id}", media.Control);
        var format = Assert.Single(media.GetPayloadFormats());
        Assert.Equal(RtspServerSdp.PayloadTypeOf(track), format.PayloadType);
        var depacketizer = RtpDepacketizer.Create(format, track.Id, TimeProvider.System, _ => { }, out var reason);
        Assert.True(depacketizer is not null, reason);
        Assert.Equal(track.Codec, depacketizer.Track.Codec);
        Assert.Equal(track.ClockRate, depacketizer.Track.ClockRate);
        Assert.Equal(track.Sps, depacketizer.Track.Sps);
        Assert.Equal(track.Pps, depacketizer.Track.Pps);
        Assert.Equal(track.Vps, depacketizer.Track.Vps);
        Assert.Equal(track.AudioSpecificConfig, depacketizer.Track.AudioSpecificConfig);
    }

    [Fact]
    public void H264_fmtp_has_mode_profile_and_parameter_sets()
    {
        var text = RtspServerSdp.Build([ServerFrames.Video], "cam", 1, "127.0.0.1");
        Assert.Contains("a=fmtp:96 packetization-mode=1;profile-level-id=42C00D;sprop-parameter-sets=Z0LADdoFB+wFqDAwNSgAAAMACAAAAwGUeKFV,aM48gA==", text);
        Assert.Contains("m=audio", RtspServerSdp.Build(ServerFrames.Tracks, "cam", 1, "127.0.0.1"));
    }

    [Fact]
    public void Video_without_parameter_sets_or_opus_cannot_be_sent()
    {
        Assert.False(RtspServerSdp.CanSend(ServerFrames.Video with { Sps = null }));
        Assert.False(RtspServerSdp.CanSend(new MediaTrack { Id = 0, Codec = MediaCodec.Opus, ClockRate = 48000, SampleRate = 48000 }));
    }

    [Theory]
    [InlineData("rtsp://h:8554/cam", "cam", null)]
    [InlineData("rtsp://h:8554/cam/", "cam", null)]
    [InlineData("rtsp://h:8554/cam/trackID=1", "cam", 1)]
    [InlineData("rtsp://h:8554/front%20door?x=1", "front door", null)]
    [InlineData("/cam/trackID=0", "cam", 0)]
    public void Request_paths_name_stream_and_track(string uri, string stream, int? track)
    {
        Assert.True(RtspRequestPath.TryParse(uri, out var path));
        Assert.Equal(track, path.TrackId);
        Assert.Equal(stream, track is null ? path.StreamName : path.ParentName);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("rtsp://h:8554/")]
    [InlineData("http://h/cam")]
    [InlineData("")]
    public void Request_paths_without_stream_are_rejected(string uri) => Assert.False(RtspRequestPath.TryParse(uri, out _));
}
