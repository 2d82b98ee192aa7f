using System.Buffers;
using LightNvr.Media.Mp4.Fragmented;
using LightNvr.Media.Mp4.Reading;

namespace LightNvr.Media.Tests.Mp4;

/// <summary>Every prefix and random mutations of a file we wrote: the reader never throws and never over-reports.</summary>
public sealed class ReaderRobustnessTests
{
    private static byte[] SmallFile(out int fragments)
    {
        using var muxer = new Fmp4Muxer([TestVectors.H264, TestVectors.Aac]);
        var output = new ArrayBufferWriter<byte>();
        output.Write(muxer.InitSegment.Span);
        for (var i = 0; i < 30; i++)
        {
            muxer.AddFrame(MuxerTests.Video(TestVectors.H264, i, i % 10 == 0));
            muxer.AddFrame(MuxerTests.Audio(TestVectors.Aac, i));
            if (muxer.NextSampleIsKeyFrame)
            {
                muxer.FlushFragment(output);
            }
        }

        muxer.FlushFragment(output, final: true);
        fragments = (int)muxer.FragmentCount;
        return output.WrittenSpan.ToArray();
    }

    [Fact]
    public void Every_prefix_indexes_only_complete_fragments()
    {
        var file = SmallFile(out var fragments);
        using var whole = new MemoryStream(file);
        var full = Fmp4Reader.Read(whole);
        Assert.Equal(fragments, full.Fragments.Count);
        var previous = 0;
        for (var length = 0; length <= file.Length; length++)
        {
            using var ms = new MemoryStream(file, 0, length);
            var index = Fmp4Reader.Read(ms);
            var expected = full.Fragments.Count(f => f.End <= length);
            Assert.Equal(expected, index.Fragments.Count);
            Assert.True(index.Fragments.Count >= previous);
            previous = index.Fragments.Count;
            Assert.True(index.CompleteLength <= length);
            Assert.Equal(length == file.Length ? null : index.Problem, index.Problem);
            if (index.Fragments.Count > 0)
            {
                Assert.Equal(index.Fragments[^1].End, index.CompleteLength);
                var samples = full.Tracks[0].Samples.Count(s => s.FragmentIndex < expected);
                Assert.Equal(samples, index.Tracks[0].Samples.Count);
            }
        }
    }

    [Fact]
    public void Mutated_files_never_throw()
    {
        var file = SmallFile(out _);
        var random = new Random(1234);
        for (var round = 0; round < 3000; round++)
        {
            var copy = (byte[])file.Clone();
            var flips = random.Next(1, 6);
            for (var i = 0; i < flips; i++)
            {
                copy[random.Next(copy.Length)] = (byte)random.Next(256);
            }

            using var ms = new MemoryStream(copy);
            var index = Fmp4Reader.Read(ms);
            Assert.True(index.CompleteLength <= copy.Length);
            foreach (var t in index.Tracks)
            {
                Assert.True(t.Samples.Count <= Fmp4Reader.MaxSamplesPerRun * 64);
            }
        }
    }
}
