namespace LightNvr.Data;

/// <summary>
/// One <c>detections</c> row of an upstream database (unix seconds; box normalised 0–1, null for a motion interval) with
/// the file path of the recording it was linked to, if any: the import links it to this database's row for that file.
/// </summary>
public sealed record UpstreamDetection(
    string StreamName,
    long Timestamp,
    string Label,
    double Confidence,
    double? X,
    double? Y,
    double? Width,
    double? Height,
    long? CreatedAt,
    long TrackId,
    string ZoneId,
    string Source,
    long? EventEndTime,
    string? RecordingPath);
