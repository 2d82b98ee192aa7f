using LightNvr.Media.Rtp;
using LightNvr.Testing;

namespace LightNvr.Media.Tests.Rtp;

/// <summary>Packetize → depacketize gives back identical frames, for real captured frames and every packet size.</summary>
public sealed class RoundTripTests
{
    internal static List<MediaFrame> Depacketize(RtpPayloadFormat format, IEnumerable<byte[]> packets)
    {
        var frames = new List<MediaFrame>();
        var d = RtpDepacketizer.Create(format, 0, new TestClock(), frames.Add, out var reason)
            ?? throw new InvalidOperationException(reason);
        foreach (var p in packets)
        {
            d.Push(p);
        }

        Assert.Equal(0, d.Counters.Malformed);
        return frames;
    }

    internal static RtpPacketizer PacketizerFor(MediaCodec codec, byte pt, int maxPacketSize, ushort seq = 1000,
        uint ts = 123456) => codec switch
    {
        MediaCodec.H264 => new H264Packetizer(pt, 0x1234, seq, ts, maxPacketSize),
        MediaCodec.H265 => new H265Packetizer(pt, 0x1234, seq, ts, maxPacketSize),
        MediaCodec.Aac => new AacPacketizer(pt, 0x1234, seq, ts, maxPacketSize),
        _ => new G711Packetizer(pt, 0x1234, seq, ts, maxPacketSize),
    };

    internal static List<byte[]> Packetize(RtpPacketizer packetizer, IEnumerable<MediaFrame> frames)
    {
        var packets = new List<byte[]>();
        foreach (var f in frames)
        {
            packetizer.Packetize(f, p => packets.Add(p.ToArray()));
        }

        return packets;
    }

    public static readonly TheoryData<string, int, int> Cases = new()
    {
        { "gst_h264_bframes_aac", 0, 1472 },
        { "gst_h264_bframes_aac", 0, 200 },
        { "gst_h264_bframes_aac", 1, 1472 },
        { "gst_h264_bframes_aac", 1, 60 },
        { "gst_h265_pcmu", 0, 1472 },
        { "gst_h265_pcmu", 0, 100 },
        { "gst_h265_pcmu", 1, 1472 },
        { "gst_h264_baseline_pcma", 0, 1000 },
        { "gst_h264_baseline_pcma", 1, 1472 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Captured_frames_survive_packetize_then_depacketize(string capture, int media, int maxPacketSize)
    {
        var session = RtpCapture.Load(capture);
        var format = session.Format(media);
        var original = Depacketize(format, session.Rtp(media));
        Assert.NotEmpty(original);

        var packetizer = PacketizerFor(original[0].Track.Codec, (byte)format.PayloadType, maxPacketSize);
        var packets = Packetize(packetizer, original);
        Assert.All(packets, p => Assert.True(p.Length <= maxPacketSize));
        var again = Depacketize(format, packets);

        AssertSameFrames(original, again);
    }

    [Fact]
    public void An_idr_frame_survives_every_packet_size()
    {
        var session = RtpCapture.Load("gst_h264_bframes_aac");
        var format = session.Format(0);
        var original = Depacketize(format, session.Rtp(0)).Take(2).ToList();
        Assert.True(original[0].IsKeyFrame);
        for (var size = RtpPacketizer.MinPacketSize; size <= 1500; size += size < 300 ? 1 : 37)
        {
            var again = Depacketize(format, Packetize(PacketizerFor(MediaCodec.H264, 96, size), original));
            AssertSameFrames(original, again);
        }
    }

    [Fact]
    public void A_g711_frame_longer_than_a_packet_is_split_with_advancing_timestamps()
    {
        var session = RtpCapture.Load("gst_h265_pcmu");
        var format = session.Format(1);
        var original = Depacketize(format, session.Rtp(1));
        var again = Depacketize(format, Packetize(PacketizerFor(MediaCodec.Pcmu, 0, 50), original));
        Assert.Equal(original.SelectMany(f => f.Data.ToArray()), again.SelectMany(f => f.Data.ToArray()));
        for (var i = 1; i < again.Count; i++)
        {
            Assert.Equal(again[i - 1].Data.Length, again[i].Dts - again[i - 1].Dts); // one tick per sample
        }
    }

    internal static void AssertSameFrames(List<MediaFrame> expected, List<MediaFrame> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Data.ToArray(), actual[i].Data.ToArray());
            Assert.Equal(expected[i].Dts, actual[i].Dts);
            Assert.Equal(expected[i].CompositionOffset, actual[i].CompositionOffset);
            Assert.Equal(expected[i].IsKeyFrame, actual[i].IsKeyFrame);
        }
    }
}
