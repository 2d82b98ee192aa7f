using System.Buffers.Binary;
using LightNvr.Media.Rtp;
using LightNvr.Testing;

namespace LightNvr.Media.Tests.Rtp;

/// <summary>Loss, reordering, duplicates, sequence and timestamp wrap-around and camera timestamp jumps.</summary>
public sealed class SequenceAndTimestampTests
{
    private static readonly RtpCapture Session = RtpCapture.Load("gst_h264_bframes_aac");
    private static readonly RtpPayloadFormat Format = Session.Format(0);
    private static readonly List<MediaFrame> Frames = RoundTripTests.Depacketize(Format, Session.Rtp(0));

    private static List<byte[]> Packets(ushort seq = 1000, uint ts = 123456, int maxPacketSize = 300) =>
        RoundTripTests.Packetize(RoundTripTests.PacketizerFor(MediaCodec.H264, 96, maxPacketSize, seq, ts), Frames);

    private static (List<MediaFrame> Frames, RtpDepacketizer D) Run(IEnumerable<byte[]> packets, TestClock? clock = null,
        TimeSpan? gap = null)
    {
        clock ??= new TestClock();
        var frames = new List<MediaFrame>();
        var d = RtpDepacketizer.Create(Format, 0, clock, frames.Add, out _)!;
        foreach (var p in packets)
        {
            d.Push(p);
            clock.Advance(gap ?? TimeSpan.FromMilliseconds(1));
        }

        return (frames, d);
    }

    [Fact]
    public void Swapped_neighbours_are_put_back_in_order()
    {
        var packets = Packets();
        for (var i = 10; i + 1 < packets.Count; i += 7)
        {
            (packets[i], packets[i + 1]) = (packets[i + 1], packets[i]);
        }

        var (frames, d) = Run(packets);
        RoundTripTests.AssertSameFrames(Frames, frames);
        Assert.True(d.Counters.Reordered > 10);
        Assert.Equal(0, d.Counters.Lost);
    }

    [Fact]
    public void Duplicates_are_dropped()
    {
        var packets = Packets();
        packets.Insert(20, packets[19]);
        packets.Insert(40, packets[30]);
        var (frames, d) = Run(packets);
        RoundTripTests.AssertSameFrames(Frames, frames);
        Assert.Equal(2, d.Counters.DuplicateOrLate);
    }

    [Fact]
    public void A_lost_fragment_drops_only_its_frame()
    {
        var packets = Packets();
        // The IDR (frame 0) is fragmented over many 300-byte packets: lose its third one.
        packets.RemoveAt(2);
        var (frames, d) = Run(packets);
        Assert.Equal(1, d.Counters.Lost);
        Assert.Equal(1, d.Counters.DroppedFrames);
        Assert.Equal(Frames.Count - 1, frames.Count);
        Assert.Equal(Frames.Skip(1).Select(f => f.Data.ToArray()), frames.Select(f => f.Data.ToArray()));
        for (var i = 1; i < frames.Count; i++)
        {
            Assert.True(frames[i].Dts > frames[i - 1].Dts && frames[i].CompositionOffset >= 0);
        }
    }

    [Fact]
    public void A_lost_marker_packet_drops_that_frame_but_not_the_next()
    {
        var packets = Packets();
        var i = packets.FindIndex(p => (p[1] & 0x80) != 0); // end of the first access unit
        packets.RemoveAt(i);
        var (frames, d) = Run(packets);
        Assert.Equal(1, d.Counters.Lost);
        Assert.Equal(1, d.Counters.DroppedFrames);
        Assert.Equal(Frames.Skip(1).Select(f => f.Data.ToArray()), frames.Select(f => f.Data.ToArray()));
    }

    [Fact]
    public void A_lost_first_packet_drops_the_frame_it_began()
    {
        var packets = Packets();
        // Access units in packet order; pick the first multi-packet one after the IDR and lose its first packet.
        var units = packets.Select((p, i) => (Ts: RtpTimestamp(p), Index: i)).GroupBy(x => x.Ts).ToList();
        var victim = units.Skip(1).Select((g, n) => (Group: g, Frame: n + 1)).First(x => x.Group.Count() >= 2);
        packets.RemoveAt(victim.Group.First().Index);
        var (frames, d) = Run(packets);
        Assert.Equal(1, d.Counters.Lost);
        Assert.Equal(1, d.Counters.DroppedFrames);
        Assert.Equal(Frames.Where((_, n) => n != victim.Frame).Select(f => f.Data.ToArray()), frames.Select(f => f.Data.ToArray()));
    }

    [Fact]
    public void A_gap_held_too_long_is_given_up()
    {
        var packets = Packets();
        packets.RemoveAt(2);
        var (frames, d) = Run(packets, gap: RtpReorderBuffer.MaxHoldTime + TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, d.Counters.Lost);
        Assert.Equal(Frames.Count - 1, frames.Count);
    }

    [Theory]
    [InlineData((ushort)65500, 123456u)]
    [InlineData((ushort)0, uint.MaxValue - 20000)]
    public void Sequence_and_timestamp_wrap_around_is_seamless(ushort seq, uint ts)
    {
        var (frames, d) = Run(Packets(seq, ts));
        RoundTripTests.AssertSameFrames(Frames, frames);
        Assert.Equal(0, d.Counters.Lost);
        Assert.Equal(0, d.Counters.TimestampJumps);
    }

    [Fact]
    public void Extended_highest_sequence_counts_cycles()
    {
        var reorder = new RtpReorderBuffer();
        var clock = new TestClock();
        for (var i = 0; i < 10; i++)
        {
            reorder.Push([], (ushort)(65530 + i), clock.GetTimestamp(), clock, _ => { }, _ => { });
        }

        Assert.Equal(65539u, reorder.ExtendedHighestSequence); // 65530 + 9, one wrap
        Assert.Equal(10, reorder.Delivered);
    }

    [Theory]
    [InlineData(3600L * 90000)] // an hour forward
    [InlineData(-5L * 90000)] // five seconds back
    public void A_camera_timestamp_jump_is_rebased_and_dts_stays_continuous(long jump)
    {
        var packets = Packets();
        var half = packets.Count / 2;
        // Start the jump at a keyframe-free boundary: the first packet of some frame after the middle.
        while (RtpTimestamp(packets[half]) == RtpTimestamp(packets[half - 1]))
        {
            half++;
        }

        for (var i = half; i < packets.Count; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(packets[i].AsSpan(4), (uint)(RtpTimestamp(packets[i]) + jump));
        }

        var (frames, d) = Run(packets);
        Assert.Equal(1, d.Counters.TimestampJumps);
        Assert.Equal(Frames.Count, frames.Count);
        for (var i = 1; i < frames.Count; i++)
        {
            Assert.True(frames[i].Dts > frames[i - 1].Dts);
            Assert.InRange(frames[i].Dts - frames[i - 1].Dts, 1, 5 * 3600);
            Assert.True(frames[i].CompositionOffset >= 0);
        }
    }

    [Fact]
    public void A_restarted_sequence_is_resynchronised_not_counted_as_huge_loss()
    {
        var packets = Packets();
        var half = packets.Count / 2;
        for (var i = half; i < packets.Count; i++)
        {
            var seq = BinaryPrimitives.ReadUInt16BigEndian(packets[i].AsSpan(2));
            BinaryPrimitives.WriteUInt16BigEndian(packets[i].AsSpan(2), (ushort)(seq + 30000));
        }

        var (frames, d) = Run(packets);
        Assert.Equal(0, d.Counters.Lost);
        Assert.True(frames.Count >= Frames.Count - 2);
    }

    private static long RtpTimestamp(byte[] packet) => BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(4));
}
