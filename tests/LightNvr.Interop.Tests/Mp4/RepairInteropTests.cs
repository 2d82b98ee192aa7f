using LightNvr.Media.Mp4.Fragmented;
using LightNvr.Media.Mp4.Reading;
using LightNvr.Testing;

namespace LightNvr.Interop.Tests.Mp4;

/// <summary>
/// Crash safety: a recording cut anywhere (kill -9, power cut) is repaired to its last complete fragment, which
/// ffmpeg decodes without an error, losing at most the fragment being written.
/// </summary>
public sealed class RepairInteropTests
{
    [Fact]
    public void File_cut_anywhere_repairs_to_last_complete_fragment_and_decodes()
    {
        using var dir = new TempFolder("mp4");
        var source = SourceMedia.Encode(dir, "src.mp4", "-c:v libx264 -g 15 -bf 0 -pix_fmt yuv420p", "aac");
        var frames = SourceMedia.Frames(source, out var tracks);
        var full = dir.File("full.mp4");
        MuxerInteropTests.MuxToFile(full, tracks, frames, new Fmp4FragmentPolicy());
        var bytes = File.ReadAllBytes(full);
        var index = Fmp4Reader.Read(full);
        Assert.True(index.Fragments.Count >= 4);

        var boundaries = new List<long> { 0, index.InitSegmentEnd };
        foreach (var f in index.Fragments)
        {
            boundaries.AddRange([f.MoofOffset, f.MdatOffset, f.End]);
        }

        var cuts = new SortedSet<long>();
        foreach (var b in boundaries)
        {
            foreach (var d in new[] { -9, -8, -1, 0, 1, 4, 8, 9 })
            {
                if (b + d > 0 && b + d <= bytes.Length)
                {
                    cuts.Add(b + d);
                }
            }
        }

        var random = new Random(42);
        for (var i = 0; i < 40; i++)
        {
            cuts.Add(random.NextInt64(1, bytes.Length));
        }

        var decoded = new HashSet<long>();
        var path = dir.File("cut.mp4");
        foreach (var cut in cuts)
        {
            File.WriteAllBytes(path, bytes.AsSpan(0, (int)cut).ToArray());
            var result = Fmp4Repair.Repair(path);
            var expected = index.InitSegmentEnd <= cut ? index.InitSegmentEnd : cut;
            foreach (var f in index.Fragments)
            {
                if (f.End <= cut)
                {
                    expected = f.End;
                }
            }

            Assert.Equal(cut, result.OriginalLength);
            Assert.Equal(result.HasInitSegment, cut >= index.InitSegmentEnd);
            Assert.Equal(expected, new FileInfo(path).Length);
            Assert.Equal(expected, result.Length);
            if (result.HasInitSegment && result.FragmentCount > 0 && decoded.Add(expected))
            {
                Assert.Equal("", Ffmpeg.DecodeErrors(path));
                var probe = Ffmpeg.Probe(path);
                Assert.Equal(result.SampleCounts[0], probe[0].Frames);
                Assert.Equal(result.SampleCounts[1], probe[1].Frames);
            }
        }

        Assert.Equal(index.Fragments.Count, decoded.Count);
    }

    [Fact]
    public void Zeros_after_the_last_fragment_are_cut()
    {
        using var dir = new TempFolder("mp4");
        var source = SourceMedia.Encode(dir, "src.mp4", "-c:v libx264 -g 15 -bf 0 -pix_fmt yuv420p", null, seconds: 2);
        var frames = SourceMedia.Frames(source, out var tracks);
        var path = dir.File("zeros.mp4");
        MuxerInteropTests.MuxToFile(path, tracks, frames, new Fmp4FragmentPolicy());
        var length = new FileInfo(path).Length;
        using (var f = new FileStream(path, FileMode.Append))
        {
            f.Write(new byte[4096]);
        }

        var result = Fmp4Repair.Repair(path);
        Assert.Equal(length, result.Length);
        Assert.Equal(frames.Count, result.SampleCounts[0]);
        Assert.Equal("", Ffmpeg.DecodeErrors(path));
    }
}
