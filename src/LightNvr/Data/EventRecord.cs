namespace LightNvr.Data;

/// <summary>
/// One row of <c>detection_events</c> (M0007): an event with a start and, once closed, an end. Times are unix seconds.
/// Box is normalised 0–1 and null when the source had none.
/// </summary>
public sealed record EventRecord
{
    public long Id { get; init; }
    public required string StreamName { get; init; }
    /// <summary>"motion", "object", "onvif" or "external".</summary>
    public required string Source { get; init; }
    public required string Label { get; init; }
    public double Confidence { get; init; }
    public double? X { get; init; }
    public double? Y { get; init; }
    public double? Width { get; init; }
    public double? Height { get; init; }
    public string? Zone { get; init; }
    public long StartTime { get; init; }
    /// <summary>Null while the event is open.</summary>
    public long? EndTime { get; init; }
    /// <summary>Time of the last observation that extended the event.</summary>
    public long LastSeen { get; init; }
    public string? SnapshotPath { get; init; }
    public long? RecordingId { get; init; }

    public bool Active => EndTime is null;

    internal static EventRecord Read(RowReader r) => new()
    {
        Id = r.Long("id"),
        StreamName = r.Text("stream_name"),
        Source = r.Text("source"),
        Label = r.Text("label"),
        Confidence = r.Double("confidence"),
        X = r.NullableDouble("x"),
        Y = r.NullableDouble("y"),
        Width = r.NullableDouble("width"),
        Height = r.NullableDouble("height"),
        Zone = r.NullableText("zone_id"),
        StartTime = r.Long("start_time"),
        EndTime = r.NullableLong("end_time"),
        LastSeen = r.Long("last_seen"),
        SnapshotPath = r.NullableText("snapshot_path"),
        RecordingId = r.NullableLong("recording_id"),
    };
}
