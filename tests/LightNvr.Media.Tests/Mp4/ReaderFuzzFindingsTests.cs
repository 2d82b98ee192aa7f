using System.Buffers;
using System.Buffers.Binary;
using LightNvr.Media.Mp4.Fragmented;
using LightNvr.Media.Mp4.Reading;

namespace LightNvr.Media.Tests.Mp4;

/// <summary>
/// Inputs the mp4 fuzz target found (tests/LightNvr.Fuzz, docs/robustness.md "Fuzzing"): a trun whose data offset or
/// sample sizes point outside the fragment's mdat was indexed as is (samples at 4045+419430598 in a 5,915-byte file),
/// so playback and export would read past the file or allocate the corrupt size. Now the fragment is a Problem.
/// </summary>
public sealed class ReaderFuzzFindingsTests
{
    [Theory]
    [InlineData(0x7FFF0000)] // past the end of the file
    [InlineData(8)] // inside the moof, before the mdat's payload
    public void A_trun_data_offset_outside_the_mdat_ends_the_index_with_a_problem(int dataOffset)
    {
        var file = TwoFragments();
        var truns = IndexesOf(file, "trun"u8);
        Assert.Equal(2, truns.Count);
        var flags = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(truns[1] + 4)) & 0xFFFFFF;
        Assert.True((flags & 1) != 0, "our muxer writes a data offset");
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(truns[1] + 12), dataOffset);

        using var stream = new MemoryStream(file);
        var index = Fmp4Reader.Read(stream);

        Assert.Contains("outside the mdat", index.Problem, StringComparison.Ordinal);
        Assert.Single(index.Fragments); // the first, intact fragment is kept
        Assert.All(index.Tracks.SelectMany(t => t.Samples), s => Assert.True(s.Offset + s.Size <= file.Length));
    }

    private static byte[] TwoFragments()
    {
        using var muxer = new Fmp4Muxer([TestVectors.H264]);
        var output = new ArrayBufferWriter<byte>();
        output.Write(muxer.InitSegment.Span);
        for (var i = 0; i < 6; i++)
        {
            muxer.AddFrame(MuxerTests.Video(TestVectors.H264, i, i % 3 == 0));
            if (i == 3)
            {
                muxer.FlushFragment(output);
            }
        }

        muxer.FlushFragment(output, final: true);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Offsets of the box type <paramref name="fourCc"/> (the 4 bytes after a box's size).</summary>
    private static List<int> IndexesOf(byte[] file, ReadOnlySpan<byte> fourCc)
    {
        var result = new List<int>();
        for (var i = 4; i + 4 <= file.Length; i++)
        {
            if (file.AsSpan(i, 4).SequenceEqual(fourCc))
            {
                result.Add(i);
            }
        }

        return result;
    }
}
