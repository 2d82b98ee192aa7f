using LightNvr.Media.Mp4.Fragmented;
using LightNvr.Media.Mp4.Reading;

namespace LightNvr.Media.Mp4.Export;

/// <summary>
/// Exports a time range across consecutive segment files as ONE fragmented MP4, without re-encoding (issue 5 item 2).
/// The cut starts at the keyframe at or before the start asked (so the first picture decodes) and ends before the
/// first video sample at or after the end, so the duration is within a GOP of the request. Planning reads only the
/// sources' moov/moof boxes; <see cref="Mp4ExportPlan"/> then streams the bytes, any range of them, on demand.
/// </summary>
public static partial class Mp4RangeExporter
{
    public static Mp4ExportPlan Plan(IReadOnlyList<Mp4ExportSource> sources, long startMs, long endMs)
    {
        if (sources.Count == 0 || endMs <= startMs)
        {
            throw new ArgumentException("Need at least one source and a non-empty range");
        }

        var indexes = new List<Fmp4Index>(sources.Count);
        var first = Fmp4Reader.Read(sources[0].Path);
        var map = new List<int>(); // output track -> position in the sources' moov
        var tracks = new List<MediaTrack>();
        for (var i = 0; i < first.Tracks.Count; i++)
        {
            var t = first.Tracks[i].Track;
            if (Fmp4Muxer.CanMux(t))
            {
                map.Add(i);
                tracks.Add(t with { Id = tracks.Count });
            }
        }

        if (tracks.Count == 0)
        {
            throw new InvalidDataException(sources[0].Path + ": no track this exporter can carry");
        }

        indexes.Add(first);
        var stopped = false;
        for (var s = 1; s < sources.Count; s++)
        {
            var index = Fmp4Reader.Read(sources[s].Path);
            if (!SameTracks(first, index, map))
            {
                stopped = true;
                break;
            }

            indexes.Add(index);
        }

        var primary = Math.Max(0, tracks.FindIndex(t => t.Kind == MediaKind.Video));
        var cut = FindCut(sources, indexes, map[primary], startMs, endMs);
        var plan = Build(sources, indexes, map, tracks, primary, cut, endMs);
        plan.StoppedAtParameterChange = stopped;
        return plan;
    }

    /// <summary>The time of a sample on the sources' millisecond axis.</summary>
    internal static double TimeMs(Mp4ExportSource source, Mp4TrackInfo track, long dts) =>
        source.StartMs + (dts * 1000.0 / track.Timescale);

    /// <summary>The primary track's last sync sample at or before start (or the first sync sample inside the range).</summary>
    private static (int Source, int Sample, double Ms) FindCut(IReadOnlyList<Mp4ExportSource> sources,
        List<Fmp4Index> indexes, int primary, long startMs, long endMs)
    {
        (int, int, double) best = (-1, -1, 0);
        var lastEndMs = double.MinValue;
        for (var s = 0; s < indexes.Count; s++)
        {
            var track = indexes[s].Tracks[primary];
            for (var i = 0; i < track.Samples.Count; i++)
            {
                var sample = track.Samples[i];
                var ms = TimeMs(sources[s], track, sample.Dts);
                if (ms >= endMs || (ms > startMs && best.Item1 >= 0))
                {
                    return best;
                }

                if (sample.IsSync)
                {
                    best = (s, i, ms);
                }

                lastEndMs = TimeMs(sources[s], track, sample.Dts + sample.Duration);
            }
        }

        // The recordings end before the range starts: nothing to export.
        return lastEndMs > startMs ? best : (-1, -1, 0);
    }

    private static bool SameTracks(Fmp4Index a, Fmp4Index b, List<int> map)
    {
        if (a.Tracks.Count != b.Tracks.Count)
        {
            return false;
        }

        foreach (var i in map)
        {
            MediaTrack x = a.Tracks[i].Track, y = b.Tracks[i].Track;
            if (x.Codec != y.Codec || x.ClockRate != y.ClockRate || a.Tracks[i].TrackId != b.Tracks[i].TrackId
                || !x.Sps.AsSpan().SequenceEqual(y.Sps) || !x.Pps.AsSpan().SequenceEqual(y.Pps)
                || !x.Vps.AsSpan().SequenceEqual(y.Vps)
                || !x.AudioSpecificConfig.AsSpan().SequenceEqual(y.AudioSpecificConfig))
            {
                return false;
            }
        }

        return true;
    }
}
