namespace LightNvr.Data;

/// <summary>One page of recordings and the total count matching the filter.</summary>
public sealed record RecordingPage(IReadOnlyList<RecordingRecord> Items, long Total);
