using FsCheck;
using FsCheck.Xunit;
using LightNvr.Media.Rtp;
using LightNvr.Media.Tests.Rtp;
using LightNvr.Testing;

namespace LightNvr.Media.Tests.Properties;

/// <summary>
/// Packetize then depacketize gives back the same frames for any packet size, any starting sequence number and RTP
/// timestamp (wrap-arounds included) and any SSRC: real captured H.264/H.265 frames (their slice headers drive the
/// DTS maths), generated AAC access units of any size the RFC 3640 AU-size field allows.
/// </summary>
public sealed class RtpRoundTripProperties
{
    private static readonly Lazy<List<MediaFrame>> H264Frames = new(() => Frames("gst_h264_bframes_aac", 0));
    private static readonly Lazy<List<MediaFrame>> H265Frames = new(() => Frames("gst_h265_pcmu", 0));
    private static readonly Lazy<RtpPayloadFormat> AacFormat = new(() => RtpCapture.Load("gst_h264_bframes_aac").Format(1));

    [Property(MaxTest = 40)]
    public void Video_frames_survive_any_packet_size_and_start(bool h265, PositiveInt size, ushort seq, uint ts)
    {
        var frames = (h265 ? H265Frames : H264Frames).Value;
        var format = RtpCapture.Load(h265 ? "gst_h265_pcmu" : "gst_h264_bframes_aac").Format(0);
        var maxPacketSize = RtpPacketizer.MinPacketSize + (size.Get % 1500);
        var packetizer = RoundTripTests.PacketizerFor(frames[0].Track.Codec, (byte)format.PayloadType, maxPacketSize, seq, ts);
        var packets = RoundTripTests.Packetize(packetizer, frames);
        Assert.All(packets, p => Assert.True(p.Length <= maxPacketSize));
        RoundTripTests.AssertSameFrames(frames, RoundTripTests.Depacketize(format, packets));
    }

    [Property(MaxTest = 60)]
    public void Aac_access_units_of_any_size_survive(NonEmptyArray<NonEmptyArray<byte>> units, PositiveInt size, ushort seq, uint ts)
    {
        var format = AacFormat.Value;
        var track = RtpDepacketizer.Create(format, 0, new TestClock(), _ => { }, out _)!.Track;
        var frames = units.Get
            .Select(u => u.Get.Length > AacPacketizer.MaxAccessUnitBytes ? u.Get[..AacPacketizer.MaxAccessUnitBytes] : u.Get)
            .Select((data, i) => new MediaFrame(track, i * 1024L, 0, true, data, 0))
            .ToList();
        var maxPacketSize = RtpPacketizer.MinPacketSize + (size.Get % 1500);
        var packets = RoundTripTests.Packetize(
            RoundTripTests.PacketizerFor(MediaCodec.Aac, (byte)format.PayloadType, maxPacketSize, seq, ts), frames);
        var again = RoundTripTests.Depacketize(format, packets);

        Assert.Equal(frames.Count, again.Count);
        for (var i = 0; i < frames.Count; i++)
        {
            Assert.Equal(frames[i].Data.ToArray(), again[i].Data.ToArray());
            Assert.Equal(frames[i].Dts - frames[0].Dts, again[i].Dts - again[0].Dts);
        }
    }

    private static List<MediaFrame> Frames(string capture, int media)
    {
        var session = RtpCapture.Load(capture);
        return RoundTripTests.Depacketize(session.Format(media), session.Rtp(media));
    }
}
