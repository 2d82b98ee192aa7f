using LightNvr.Media.Mp4.Export;

namespace LightNvr.Storage;

/// <summary>
/// What <see cref="RecordingRangeExport.PlanAsync"/> found: the plan and its source files, or no plan (nothing recorded
/// in the range), or <see cref="Unreadable"/> (a segment could not be parsed, with why).
/// </summary>
public sealed record RangeExportPlan(Mp4ExportPlan? Plan, IReadOnlyList<Mp4ExportSource> Sources, string? Unreadable);
