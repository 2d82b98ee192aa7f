using LightNvr.Media.Rtp;
using LightNvr.Testing;

namespace LightNvr.Media.Tests.Rtp;

/// <summary>Byte-exact packetizer output for small hand-built frames (RFC 6184 §5.7.1/§5.8, RFC 7798 §4.4, RFC 3640 §3.2).</summary>
public sealed class PacketizerTests
{
    private static readonly MediaTrack Video = new() { Id = 0, Codec = MediaCodec.H264, ClockRate = 90000 };

    private static List<string> Run(RtpPacketizer packetizer, string avccHex, long pts = 0)
    {
        var frame = new MediaFrame(Video, pts, 0, true, Convert.FromHexString(avccHex), 0);
        var packets = new List<string>();
        packetizer.Packetize(frame, p => packets.Add(Convert.ToHexString(p).ToLowerInvariant()));
        return packets;
    }

    [Fact]
    public void H264_small_units_go_in_a_stap_a_with_the_highest_nri_and_the_last_alone_with_the_marker()
    {
        var packets = Run(new H264Packetizer(96, 0x01020304, 7, 1000),
            "00000003" + "060501" + "00000004" + "6742001f" + "00000004" + "65888400", pts: 10);
        Assert.Equal(
        [
            "80600007" + "000003f2" + "01020304" + "78" + "0003060501" + "00046742001f",
            "80e00008" + "000003f2" + "01020304" + "65888400",
        ], packets);
    }

    [Fact]
    public void H264_large_unit_is_split_into_fu_a()
    {
        var body = string.Concat(Enumerable.Range(0, 30).Select(i => i.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        var packets = Run(new H264Packetizer(96, 1, 0, 0, RtpPacketizer.MinPacketSize), "0000001f" + "65" + body);
        // 28-byte packets: 16 bytes of payload = FU indicator + FU header + 14 bytes of the NAL body.
        Assert.Equal(3, packets.Count);
        Assert.Equal("7c85" + body[..28], packets[0][24..]);
        Assert.Equal("7c05" + body[28..56], packets[1][24..]);
        Assert.Equal("7c45" + body[56..], packets[2][24..]);
        Assert.Equal(["00", "00", "80"], packets.Select(p => p[2..4]).Select(b => (Convert.ToByte(b, 16) & 0x80).ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void H265_parameter_sets_go_in_an_aggregation_packet()
    {
        var packets = Run(new H265Packetizer(96, 1, 0, 0), "00000003" + "40010c" + "00000003" + "420101" + "00000003" + "260188");
        Assert.Equal(["6001" + "000340010c" + "0003420101", "260188"], packets.Select(p => p[24..]));
    }

    [Fact]
    public void Aac_access_unit_gets_one_au_header()
    {
        var packets = Run(new AacPacketizer(97, 1, 0, 0), "21002f");
        Assert.Equal(["0010" + "0018" + "21002f"], packets.Select(p => p[24..]));
        Assert.Equal("e1", packets[0][2..4]); // marker + PT 97
    }

    [Theory]
    [InlineData(MediaCodec.H264)]
    [InlineData(MediaCodec.H265)]
    [InlineData(MediaCodec.Aac)]
    [InlineData(MediaCodec.Pcmu)]
    public void Random_frames_packetize_within_the_size_limit_and_depacketize_without_throwing(MediaCodec codec)
    {
        var random = new Random(7798 + (int)codec);
        var format = codec switch
        {
            MediaCodec.H264 => new RtpPayloadFormat(96, "H264", 90000, 1, new Dictionary<string, string>()),
            MediaCodec.H265 => new RtpPayloadFormat(96, "H265", 90000, 1, new Dictionary<string, string>()),
            MediaCodec.Aac => new RtpPayloadFormat(97, "mpeg4-generic", 16000, 1, new Dictionary<string, string>
            {
                ["sizelength"] = "13", ["indexlength"] = "3", ["indexdeltalength"] = "3", ["config"] = "1408",
            }),
            _ => new RtpPayloadFormat(0, "PCMU", 8000, 1, new Dictionary<string, string>()),
        };
        var d = RtpDepacketizer.Create(format, 0, new TestClock(), _ => { }, out _)!;
        for (var i = 0; i < 2000; i++)
        {
            var size = random.Next(128, 1600);
            var packetizer = RoundTripTests.PacketizerFor(codec, (byte)format.PayloadType, size, (ushort)i, (uint)i);
            var data = new byte[random.Next(0, 5000)];
            random.NextBytes(data);
            if (data.Length > 16 && random.Next(2) == 0 && codec is MediaCodec.H264 or MediaCodec.H265)
            {
                // Half the time a well-formed AVCC frame of two NAL units.
                System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(data, 4);
                System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(8), data.Length - 12);
            }

            var frame = new MediaFrame(Video, i * 3000L, 0, false, data, 0);
            packetizer.Packetize(frame, p =>
            {
                Assert.InRange(p.Length, RtpPacket.FixedHeaderSize, size);
                d.Push(p);
            });
        }

        Assert.True(d.Counters.Packets > 0);
    }
}
