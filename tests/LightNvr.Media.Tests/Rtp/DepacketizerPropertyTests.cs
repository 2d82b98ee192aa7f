using System.Buffers.Binary;
using LightNvr.Media.Rtp;
using LightNvr.Testing;

namespace LightNvr.Media.Tests.Rtp;

/// <summary>
/// Real captures, damaged at random with a fixed seed (bytes mutated, packets dropped, duplicated, swapped): the
/// depacketizers only count errors — no exception escapes, allocation stays proportional to the input, and every
/// frame that comes out is well formed (AVCC for video, monotonic DTS, non-negative composition offset).
/// </summary>
public sealed class DepacketizerPropertyTests
{
    public static readonly TheoryData<string, int> Streams = new()
    {
        { "gst_h264_bframes_aac", 0 },
        { "gst_h264_bframes_aac", 1 },
        { "gst_h265_pcmu", 0 },
        { "gst_h265_pcmu", 1 },
        { "gst_h264_baseline_pcma", 0 },
    };

    [Theory]
    [MemberData(nameof(Streams))]
    public void Damaged_streams_are_counted_never_thrown(string capture, int media)
    {
        var session = RtpCapture.Load(capture);
        var format = session.Format(media);
        var clean = session.Rtp(media).ToList();
        var random = new Random(6184 + media);
        long malformed = 0, frameCount = 0;
        for (var run = 0; run < 60; run++)
        {
            var packets = Damage(random, clean, run);
            var frames = new List<MediaFrame>();
            var d = RtpDepacketizer.Create(format, media, new TestClock(), frames.Add, out _)!;
            var input = packets.Sum(p => (long)p.Length);
            var before = GC.GetAllocatedBytesForCurrentThread();
            foreach (var p in packets)
            {
                d.Push(p);
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < (4 * input) + (2 << 20), $"run {run}: {allocated} bytes allocated for {input} in");
            AssertWellFormed(frames, format.EncodingName is "H264" or "H265");
            var c = d.Counters;
            Assert.Equal(packets.Count, c.Packets);
            malformed += c.Malformed;
            frameCount += frames.Count;
        }

        Assert.True(malformed > 0, "the damage never produced a malformed packet");
        Assert.True(frameCount > 0, "nothing survived the damage");
    }

    [Fact]
    public void Random_bytes_are_only_counted()
    {
        var random = new Random(3640);
        foreach (var name in (string[])["gst_h264_bframes_aac", "gst_h265_pcmu"])
        {
            var session = RtpCapture.Load(name);
            for (var media = 0; media < 2; media++)
            {
                var d = RtpDepacketizer.Create(session.Format(media), media, new TestClock(), _ => { }, out _)!;
                for (var i = 0; i < 5000; i++)
                {
                    var bytes = new byte[random.Next(0, 1600)];
                    random.NextBytes(bytes);
                    if (bytes.Length > 1)
                    {
                        bytes[0] = (byte)(0x80 | (bytes[0] & 0x3F)); // mostly valid RTP version, so payload parsers run
                        bytes[1] = (byte)((bytes[1] & 0x80) | session.Format(media).PayloadType);
                    }

                    d.Push(bytes);
                }

                Assert.Equal(5000, d.Counters.Packets);
                Assert.True(d.Counters.Malformed > 0);
            }
        }
    }

    private static List<byte[]> Damage(Random random, List<byte[]> clean, int run)
    {
        var packets = clean.Select(p => p.ToArray()).ToList();
        var edits = 1 + random.Next(1 + (run % 20));
        for (var e = 0; e < edits && packets.Count > 2; e++)
        {
            var i = random.Next(packets.Count);
            switch (random.Next(5))
            {
                case 0:
                    // Keep the RTP header plausible so the payload parser sees the damage.
                    var header = packets[i].AsSpan(0, Math.Min(12, packets[i].Length)).ToArray();
                    var mutated = Mutator.Mutate(random, packets[i]);
                    if (mutated.Length >= header.Length)
                    {
                        header.CopyTo(mutated, 0);
                    }

                    packets[i] = mutated;
                    break;
                case 1:
                    packets.RemoveAt(i);
                    break;
                case 2:
                    packets.Insert(i, packets[random.Next(packets.Count)]);
                    break;
                case 3:
                    var j = Math.Min(packets.Count - 1, i + random.Next(1, 80));
                    (packets[i], packets[j]) = (packets[j], packets[i]);
                    break;
                case 4:
                    packets[i] = Mutator.Mutate(random, packets[i]);
                    break;
            }
        }

        return packets;
    }

    private static void AssertWellFormed(List<MediaFrame> frames, bool video)
    {
        for (var i = 0; i < frames.Count; i++)
        {
            Assert.True(frames[i].CompositionOffset >= 0);
            Assert.False(frames[i].Data.IsEmpty);
            if (i > 0)
            {
                Assert.True(frames[i].Dts >= frames[i - 1].Dts, $"frame {i}: {frames[i].Dts} < {frames[i - 1].Dts}");
            }

            if (!video)
            {
                continue;
            }

            var data = frames[i].Data.Span;
            while (data.Length > 0)
            {
                Assert.True(data.Length >= 4);
                var n = BinaryPrimitives.ReadInt32BigEndian(data);
                Assert.InRange(n, 1, data.Length - 4);
                data = data[(4 + n)..];
            }
        }
    }
}
