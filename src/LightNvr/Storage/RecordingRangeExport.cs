using LightNvr.Data;
using LightNvr.Media.Mp4.Export;

namespace LightNvr.Storage;

/// <summary>
/// Plans the MP4 of a time range of one stream (<c>GET /api/recordings/export</c>) in two steps: <see cref="SegmentsAsync"/>
/// lists the complete segments the range overlaps, each with its file's real path when it is on this disk (open
/// segments are left out: their last fragment may still be changing); the caller fetches the files of segments that
/// another recorder node wrote (<see cref="ExportSegment.Owner"/>) into the <see cref="ExportCache"/>; then
/// <see cref="Plan"/> plans all of them together, in time order, with <see cref="Mp4RangeExporter"/> from the keyframe
/// at or before the start.
/// </summary>
public sealed class RecordingRangeExport(RecordingStore store, StorageRoot root)
{
    /// <summary>Segments one export may span (2 h of 10 s segments, the shortest segment_duration).</summary>
    public const int MaxSegments = 720;

    public async Task<IReadOnlyList<ExportSegment>> SegmentsAsync(string stream, DateTimeOffset start, DateTimeOffset end,
        CancellationToken ct)
    {
        var rows = await store.ListOverlappingAsync(stream, start, end, MaxSegments, ct).ConfigureAwait(false);
        return rows.Where(r => r.IsComplete && r.EndTime is not null)
            .Select(r => new ExportSegment(r, root.Resolve(r.FilePath) is { } path && File.Exists(path) ? path : null))
            .ToList();
    }

    /// <summary>The plan of <paramref name="segments"/>, the local ones and those in <paramref name="fetched"/> (row id → file).</summary>
    public static RangeExportPlan Plan(IReadOnlyList<ExportSegment> segments, IReadOnlyDictionary<long, string> fetched,
        DateTimeOffset start, DateTimeOffset end)
    {
        var (sources, keys, missing) = ExportSources.Merge(segments, fetched);
        if (sources.Count == 0)
        {
            return new RangeExportPlan(null, sources, null) { Keys = keys, Missing = missing };
        }
        try
        {
            var plan = Mp4RangeExporter.Plan(sources, start.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds());
            return new RangeExportPlan(plan.IsEmpty ? null : plan, sources, null) { Keys = keys, Missing = missing };
        }
        catch (InvalidDataException e)
        {
            return new RangeExportPlan(null, sources, e.Message) { Keys = keys, Missing = missing };
        }
    }
}
