using LightNvr.Media.Mp4.Export;

namespace LightNvr.Storage;

/// <summary>
/// What <see cref="RecordingRangeExport.Plan"/> made: the plan and its source files, or no plan (nothing recorded in
/// the range), or <see cref="Unreadable"/> (a segment could not be parsed, with why). <see cref="Keys"/>: one stable
/// name per source for the ETag; <see cref="Missing"/>: the spans of the range whose segments it does not hold.
/// </summary>
public sealed record RangeExportPlan(Mp4ExportPlan? Plan, IReadOnlyList<Mp4ExportSource> Sources, string? Unreadable)
{
    public IReadOnlyList<string> Keys { get; init; } = [];

    public IReadOnlyList<MissingSpan> Missing { get; init; } = [];
}
