using System.Buffers.Binary;
using LightNvr.Media.Rtp;
using LightNvr.Testing;

namespace LightNvr.Media.Tests.Rtp;

/// <summary>RFC 3550 §6.4: sender reports from a real camera, the wall clock they give frames, receiver reports.</summary>
public sealed class RtcpTests
{
    [Fact]
    public void Parses_the_cameras_sender_report()
    {
        var rtcp = RtpCapture.Load("gst_h264_bframes_aac").Rtcp(0).First();
        Assert.True(RtcpSenderReport.TryFind(rtcp, out var sr));
        Assert.Equal(0x9eecfe23u, sr.Ssrc);
        Assert.Equal(0xeeaca3e90fe93187ul, sr.NtpTimestamp);
        Assert.Equal(0x27738d4cu, sr.RtpTimestamp);
        Assert.Equal(56u, sr.PacketCount);
        Assert.Equal(0x22b5u, sr.OctetCount);
        // 0xeeaca3e9 s since 1900 = 1795302761 s since 1970; 0x0fe93187 / 2³² s = 62 ms.
        Assert.Equal(1_795_302_761_062, sr.NtpUnixMilliseconds);
        Assert.Equal(0xa3e90fe9u, sr.CompactNtp);
    }

    [Theory]
    [InlineData("")]
    [InlineData("80c8")]
    [InlineData("80c80006")] // length past the end
    [InlineData("80c90001deadbeef")] // a receiver report only
    [InlineData("80c80001deadbeef")] // SR too short
    public void No_sender_report_in(string hex) => Assert.False(RtcpSenderReport.TryFind(Convert.FromHexString(hex), out _));

    [Fact]
    public void Sender_report_writes_what_it_parses()
    {
        var sr = new RtcpSenderReport(1, RtcpSenderReport.ToNtp(DateTimeOffset.FromUnixTimeMilliseconds(1_795_302_761_500)), 90000, 5, 6);
        var buffer = new byte[28];
        Assert.Equal(28, sr.WriteTo(buffer));
        Assert.True(RtcpSenderReport.TryFind(buffer, out var back));
        Assert.Equal(sr, back);
        Assert.Equal(1_795_302_761_500, back.NtpUnixMilliseconds);
    }

    [Fact]
    public void Frames_get_wall_clock_from_the_sender_report_and_a_receiver_report_describes_the_stream()
    {
        var session = RtpCapture.Load("gst_h264_bframes_aac");
        var format = session.Format(0);
        var frames = RoundTripTests.Depacketize(format, session.Rtp(0));
        const uint start = 1_000_000;
        var packets = RoundTripTests.Packetize(RoundTripTests.PacketizerFor(MediaCodec.H264, 96, 1472, 100, start), frames);
        packets.RemoveAt(5); // one loss for the report

        var clock = new TestClock();
        var wallStart = DateTimeOffset.FromUnixTimeMilliseconds(1_795_302_000_000);
        var got = new List<MediaFrame>();
        var d = RtpDepacketizer.Create(format, 0, clock, got.Add, out _)!;
        var sr = new byte[28];
        new RtcpSenderReport(0x1234, RtcpSenderReport.ToNtp(wallStart), start, 1, 1).WriteTo(sr);
        d.Push(packets[0]);
        d.PushRtcp(sr);
        foreach (var p in packets.Skip(1))
        {
            clock.Advance(TimeSpan.FromMilliseconds(40));
            d.Push(p);
        }

        // RTP timestamp = start + PTS, so wall clock = SR time + PTS / 90 ms.
        Assert.All(got, f => Assert.Equal(wallStart.ToUnixTimeMilliseconds() + (f.Pts / 90), f.WallClockUnixMs));

        clock.Advance(TimeSpan.FromSeconds(2));
        var rr = new byte[128];
        var n = d.WriteReceiverReport(rr, 0xabcdef01, "lightnvr");
        Assert.Equal(n, rr.Length - rr.AsSpan(n).Length);
        Assert.Equal(201, rr[1]);
        Assert.Equal(0xabcdef01u, BinaryPrimitives.ReadUInt32BigEndian(rr.AsSpan(4)));
        Assert.Equal(0x1234u, BinaryPrimitives.ReadUInt32BigEndian(rr.AsSpan(8)));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32BigEndian(rr.AsSpan(12)) & 0xFFFFFF); // cumulative lost
        Assert.True(rr[12] > 0); // fraction lost
        Assert.Equal((uint)(100 + packets.Count), BinaryPrimitives.ReadUInt32BigEndian(rr.AsSpan(16))); // highest seq
        Assert.Equal((uint)(RtcpSenderReport.ToNtp(wallStart) >> 16), BinaryPrimitives.ReadUInt32BigEndian(rr.AsSpan(24)));
        var sinceSr = TimeSpan.FromMilliseconds(40 * (packets.Count - 1)) + TimeSpan.FromSeconds(2);
        Assert.Equal((uint)(sinceSr.TotalSeconds * 65536), BinaryPrimitives.ReadUInt32BigEndian(rr.AsSpan(28))); // DLSR
        Assert.Equal(202, rr[33]); // SDES follows
        Assert.Equal("lightnvr", System.Text.Encoding.ASCII.GetString(rr, 42, rr[41]));
        Assert.Equal(0, n % 4);
    }
}
