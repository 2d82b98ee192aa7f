using LightNvr.Media.Codecs;
using LightNvr.Media.Tests.Rtp;

namespace LightNvr.Media.Tests.Codecs;

/// <summary>Annex-B and AVCC conversions on real frames; the incremental splitter at every split point.</summary>
public sealed class AnnexBTests
{
    private static readonly List<MediaFrame> Frames = LoadFrames();

    private static List<MediaFrame> LoadFrames()
    {
        var session = RtpCapture.Load("gst_h264_bframes_aac");
        return RoundTripTests.Depacketize(session.Format(0), session.Rtp(0));
    }

    private static byte[] ToAnnexB(IEnumerable<MediaFrame> frames)
    {
        var stream = new List<byte>();
        foreach (var f in frames)
        {
            var buffer = new byte[f.Data.Length];
            Assert.Equal(buffer.Length, Avcc.ToAnnexB(f.Data.Span, buffer));
            stream.AddRange(buffer);
        }

        return [.. stream];
    }

    private static List<byte[]> Nals(IEnumerable<MediaFrame> frames)
    {
        var nals = new List<byte[]>();
        foreach (var f in frames)
        {
            Assert.True(Avcc.IsValid(f.Data.Span));
            foreach (var nal in Avcc.Enumerate(f.Data.Span))
            {
                nals.Add(nal.ToArray());
            }
        }

        return nals;
    }

    [Fact]
    public void Annex_b_and_avcc_convert_both_ways()
    {
        foreach (var f in Frames)
        {
            var annexB = ToAnnexB([f]);
            var avcc = new byte[AnnexB.GetAvccSize(annexB)];
            AnnexB.ToAvcc(annexB, avcc);
            Assert.Equal(f.Data.ToArray(), avcc);
        }
    }

    [Theory]
    [InlineData("0000000167420000000168ce000000", new[] { "6742", "68ce" })] // 4-byte codes, trailing zeros
    [InlineData("00000109100000016588", new[] { "0910", "6588" })] // 3-byte codes
    [InlineData("ff00000165", new[] { "65" })] // garbage before the first start code
    [InlineData("000001000001", new string[0])] // empty NAL units
    [InlineData("", new string[0])]
    public void Enumerates_annex_b(string hex, string[] expected)
    {
        var nals = new List<string>();
        foreach (var nal in AnnexB.Enumerate(Convert.FromHexString(hex)))
        {
            nals.Add(Convert.ToHexString(nal).ToLowerInvariant());
        }

        Assert.Equal(expected, nals);
    }

    [Theory]
    [InlineData("0000000267420000000168", true)]
    [InlineData("00000002674200000002", false)] // second length past the end
    [InlineData("0000000067", false)] // zero length
    [InlineData("000000", false)]
    public void Validates_avcc(string hex, bool valid) => Assert.Equal(valid, Avcc.IsValid(Convert.FromHexString(hex)));

    [Fact]
    public void Splitter_gives_the_same_nal_units_at_every_split_point()
    {
        var frames = Frames.Take(2).ToList();
        var stream = ToAnnexB(frames);
        var expected = Nals(frames);
        for (var split = 0; split <= stream.Length; split++)
        {
            var got = new List<byte[]>();
            var splitter = new AnnexBSplitter();
            splitter.Push(stream.AsSpan(0, split), got.Add);
            splitter.Push(stream.AsSpan(split), got.Add);
            splitter.Flush(got.Add);
            Assert.True(Same(expected, got), $"split at {split}");
        }
    }

    private static bool Same(List<byte[]> a, List<byte[]> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.AsSpan().SequenceEqual(p.Second));

    [Fact]
    public void Splitter_gives_the_same_nal_units_for_every_chunk_size()
    {
        var stream = ToAnnexB(Frames);
        var expected = Nals(Frames);
        foreach (var size in Enumerable.Range(1, 40).Concat([997, 4096, stream.Length]))
        {
            var got = new List<byte[]>();
            var splitter = new AnnexBSplitter();
            for (var offset = 0; offset < stream.Length; offset += size)
            {
                splitter.Push(stream.AsSpan(offset, Math.Min(size, stream.Length - offset)), got.Add);
            }

            splitter.Flush(got.Add);
            Assert.Equal(expected, got);
        }
    }

    [Fact]
    public void Splitter_drops_an_oversized_nal_unit_and_recovers()
    {
        var got = new List<byte[]>();
        var splitter = new AnnexBSplitter();
        splitter.Push([0, 0, 1, 0x65], got.Add);
        var junk = new byte[1 << 20];
        Array.Fill(junk, (byte)0xFF);
        for (var i = 0; i <= AnnexBSplitter.MaxNalUnitBytes / junk.Length; i++)
        {
            splitter.Push(junk, got.Add);
        }

        splitter.Push([0, 0, 1, 0x41, 0x9a], got.Add);
        splitter.Flush(got.Add);
        Assert.Equal(1, splitter.Oversized);
        Assert.Equal("419A", Convert.ToHexString(Assert.Single(got)));
    }
}
