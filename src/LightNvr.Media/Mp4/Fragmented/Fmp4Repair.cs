using LightNvr.Media.Mp4.Reading;

namespace LightNvr.Media.Mp4.Fragmented;

/// <summary>
/// Crash repair of a recording written as init segment + fragments: finds where the last complete moof+mdat pair
/// ends (<see cref="Fmp4Index.CompleteLength"/>) and truncates everything after it: a box cut short by kill -9 or a
/// power cut, or the zeros a file system can leave after its last written block. What remains is init + whole
/// fragments, which every player decodes; at most the fragment being written is lost.
/// </summary>
public static class Fmp4Repair
{
    /// <summary>Reports what a repair would do, without touching the file.</summary>
    public static Fmp4RepairResult Inspect(string path)
    {
        var index = Fmp4Reader.Read(path);
        return Describe(index, index.InitSegmentEnd > 0 ? index.CompleteLength : index.FileLength);
    }

    /// <summary>Truncates the file after its last complete fragment (and fsyncs) when needed.</summary>
    public static Fmp4RepairResult Repair(string path)
    {
        Fmp4Index index;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read))
        {
            index = Fmp4Reader.Read(stream);
            if (index.InitSegmentEnd > 0 && index.CompleteLength < index.FileLength)
            {
                stream.SetLength(index.CompleteLength);
                stream.Flush(flushToDisk: true);
            }
        }

        return Describe(index, index.InitSegmentEnd > 0 ? index.CompleteLength : index.FileLength);
    }

    private static Fmp4RepairResult Describe(Fmp4Index index, long length)
    {
        var counts = new int[index.Tracks.Count];
        var duration = TimeSpan.Zero;
        for (var i = 0; i < counts.Length; i++)
        {
            var t = index.Tracks[i];
            counts[i] = t.Samples.Count;
            var d = TimeSpan.FromSeconds((double)t.Duration / t.Timescale);
            duration = d > duration ? d : duration;
        }

        return new Fmp4RepairResult
        {
            OriginalLength = index.FileLength,
            Length = length,
            HasInitSegment = index.InitSegmentEnd > 0,
            FragmentCount = index.Fragments.Count,
            SampleCounts = counts,
            Duration = duration,
            Problem = index.Problem,
        };
    }
}
