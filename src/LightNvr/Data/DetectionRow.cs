namespace LightNvr.Data;

/// <summary>
/// One <c>detections</c> row. Times are unix seconds; <paramref name="EndTimestamp"/> is upstream's
/// <c>event_end_time</c> (the interval end of an external trigger; null for a model's single detection).
/// </summary>
public sealed record DetectionRow(string Stream, long Timestamp, string Label, double Confidence, double? X, double? Y,
    double? Width, double? Height, string? Zone, string Source, long? EndTimestamp);
