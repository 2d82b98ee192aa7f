using LightNvr.Data;
using LightNvr.Media.Mp4.Export;

namespace LightNvr.Storage;

/// <summary>
/// Plans the MP4 of a time range of one stream (<c>GET /api/recordings/export</c>): the complete segments it overlaps
/// whose files exist, planned by <see cref="Mp4RangeExporter"/> from the keyframe at or before the start. Open segments
/// are left out (their last fragment may still be changing). Files written by another recorder node are not on this
/// disk: when that node's files cover more of the range than ours, the plan names it (<see cref="RangeExportPlan.Elsewhere"/>).
/// </summary>
public sealed class RecordingRangeExport(RecordingStore store, StorageRoot root)
{
    /// <summary>Segments one export may span (2 h of 10 s segments, the shortest segment_duration).</summary>
    public const int MaxSegments = 720;

    public async Task<RangeExportPlan> PlanAsync(string stream, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        var rows = await store.ListOverlappingAsync(stream, start, end, MaxSegments, ct).ConfigureAwait(false);
        var sources = new List<Mp4ExportSource>();
        var missing = new List<string>();
        foreach (var row in rows.Where(r => r.IsComplete && r.EndTime is not null))
        {
            if (root.Resolve(row.FilePath) is { } path && File.Exists(path))
            {
                sources.Add(new Mp4ExportSource(path, row.StartTime.ToUnixTimeMilliseconds()));
            }
            else if (row.NodeId.Length > 0)
            {
                missing.Add(row.NodeId);
            }
        }
        var elsewhere = missing.GroupBy(n => n, StringComparer.Ordinal).OrderByDescending(g => g.Count()).FirstOrDefault();
        if (elsewhere is not null && elsewhere.Count() > sources.Count)
        {
            return new RangeExportPlan(null, sources, null) { Elsewhere = elsewhere.Key };
        }
        if (sources.Count == 0)
        {
            return new RangeExportPlan(null, sources, null);
        }
        try
        {
            var plan = Mp4RangeExporter.Plan(sources, start.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds());
            return new RangeExportPlan(plan.IsEmpty ? null : plan, sources, null);
        }
        catch (InvalidDataException e)
        {
            return new RangeExportPlan(null, sources, e.Message);
        }
    }
}
