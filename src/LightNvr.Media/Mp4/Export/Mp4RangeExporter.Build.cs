using LightNvr.Media.Mp4.Boxes;
using LightNvr.Media.Mp4.Fragmented;
using LightNvr.Media.Mp4.Reading;

namespace LightNvr.Media.Mp4.Export;

public static partial class Mp4RangeExporter
{
    private static Mp4ExportPlan Build(IReadOnlyList<Mp4ExportSource> sources, List<Fmp4Index> indexes, List<int> map,
        List<MediaTrack> tracks, int primary, (int Source, int Sample, double Ms) cut, long endMs)
    {
        var parts = new List<Mp4ExportPart> { Mp4ExportPart.FromBytes(Fmp4InitSegment.Create(tracks)) };
        var counts = new int[tracks.Count];
        var nextDts = new long[tracks.Count]; // output decode time where each track's next sample goes
        var started = new bool[tracks.Count];
        var selected = new List<Mp4Sample>[tracks.Count];
        for (var t = 0; t < tracks.Count; t++)
        {
            selected[t] = [];
        }

        var runs = new TrackFragment[tracks.Count];
        var fragments = 0;
        var skipped = cut.Source >= 0
            ? FindUndecodableLeadingPictures(sources[cut.Source], indexes[cut.Source].Tracks[map[primary]], cut.Sample)
            : [];
        double endOfPrimary = cut.Ms;
        for (var s = Math.Max(0, cut.Source); s < indexes.Count && cut.Source >= 0; s++)
        {
            var index = indexes[s];
            var cursors = new int[tracks.Count];
            for (var f = 0; f < index.Fragments.Count; f++)
            {
                var runCount = 0;
                for (var t = 0; t < tracks.Count; t++)
                {
                    var track = index.Tracks[map[t]];
                    var list = selected[t];
                    list.Clear();
                    for (ref var c = ref cursors[t]; c < track.Samples.Count && track.Samples[c].FragmentIndex == f; c++)
                    {
                        var sample = track.Samples[c];
                        var ms = TimeMs(sources[s], track, sample.Dts);
                        var inRange = t == primary
                            ? (s > cut.Source || c >= cut.Sample) && ms < endMs
                            : ms >= cut.Ms && ms < endMs;
                        if (inRange && t == primary && s == cut.Source && skipped.Contains(c))
                        {
                            // Left out; the sample before it covers its time so the decode timeline stays whole.
                            if (list.Count > 0)
                            {
                                list[^1] = list[^1] with { Duration = list[^1].Duration + sample.Duration };
                            }

                            continue;
                        }

                        if (inRange)
                        {
                            list.Add(sample);
                        }
                    }

                    if (list.Count == 0)
                    {
                        continue;
                    }

                    // Output time: distance from the cut on the common axis; consecutive segments that meet (within
                    // 2 ms of rounding) are joined exactly so the output has no gap or overlap.
                    var outDts = (long)Math.Round((TimeMs(sources[s], track, list[0].Dts) - cut.Ms) * track.Timescale / 1000);
                    if (!started[t] || Math.Abs(outDts - nextDts[t]) <= track.Timescale / 500)
                    {
                        outDts = started[t] ? nextDts[t] : Math.Max(0, outDts);
                    }

                    outDts = Math.Max(outDts, nextDts[t]);
                    var samples = new FragmentSample[list.Count];
                    for (var i = 0; i < list.Count; i++)
                    {
                        var x = list[i];
                        samples[i] = new FragmentSample(x.Duration, x.Size, x.IsSync, x.CompositionOffset);
                        nextDts[t] = outDts + (x.Dts - list[0].Dts) + x.Duration;
                    }

                    if (t == primary)
                    {
                        var last = list[^1];
                        endOfPrimary = TimeMs(sources[s], track, last.Dts + last.Duration);
                    }

                    started[t] = true;
                    counts[t] += list.Count;
                    runs[runCount++] = new TrackFragment((uint)t + 1, (ulong)outDts, samples,
                        tracks[t].Kind == MediaKind.Video);
                }

                if (runCount == 0)
                {
                    continue;
                }

                var runSpan = runs.AsSpan(0, runCount);
                var header = new byte[MovieFragmentBox.GetSize(runSpan) + MovieFragmentBox.MediaDataHeaderSize];
                MovieFragmentBox.WriteTo(header, (uint)++fragments, runSpan);
                parts.Add(Mp4ExportPart.FromBytes(header));
                for (var t = 0; t < tracks.Count; t++)
                {
                    AddSlices(parts, s, selected[t]);
                }
            }
        }

        return new Mp4ExportPlan(sources, tracks, parts)
        {
            StartMs = (long)Math.Round(cut.Ms),
            EndMs = (long)Math.Round(endOfPrimary),
            FragmentCount = fragments,
            SampleCounts = counts,
        };
    }

    /// <summary>Adds the samples' bytes as file slices, merging samples that lie back to back.</summary>
    private static void AddSlices(List<Mp4ExportPart> parts, int source, List<Mp4Sample> samples)
    {
        var i = 0;
        while (i < samples.Count)
        {
            var start = samples[i].Offset;
            var end = start + samples[i].Size;
            i++;
            while (i < samples.Count && samples[i].Offset == end)
            {
                end += samples[i].Size;
                i++;
            }

            parts.Add(Mp4ExportPart.FromSource(source, start, end - start));
        }
    }
}
