using LightNvr.Media.Mp4.Export;

namespace LightNvr.Storage;

/// <summary>
/// What <see cref="RecordingRangeExport.PlanAsync"/> found: the plan and its source files, or no plan (nothing recorded
/// in the range), or <see cref="Unreadable"/> (a segment could not be parsed, with why). <see cref="Elsewhere"/>: the
/// recorder node whose files (not on this disk) cover more of the range than this node's do; the export is then that
/// node's to build (docs/scale.md).
/// </summary>
public sealed record RangeExportPlan(Mp4ExportPlan? Plan, IReadOnlyList<Mp4ExportSource> Sources, string? Unreadable)
{
    public string? Elsewhere { get; init; }
}
