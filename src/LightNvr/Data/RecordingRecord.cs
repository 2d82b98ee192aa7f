namespace LightNvr.Data;

/// <summary>
/// One row of <c>recordings</c>: one MP4 segment. Times are stored as unix seconds; <see cref="EndTime"/> is null
/// while the segment is open. <see cref="TriggerType"/> is upstream's scheduled/continuous/detection/motion/manual.
/// </summary>
public sealed record RecordingRecord
{
    public long Id { get; init; }
    public required string StreamName { get; init; }
    public required string FilePath { get; init; }
    public DateTimeOffset StartTime { get; init; }
    public DateTimeOffset? EndTime { get; init; }
    public long SizeBytes { get; init; }
    public int Width { get; init; }
    public int Height { get; init; }
    public int Fps { get; init; }
    public string Codec { get; init; } = "";
    public bool IsComplete { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string TriggerType { get; init; } = "scheduled";
    public bool Protected { get; init; }
    public int? RetentionOverrideDays { get; init; }

    /// <summary>Marked for deletion (crash-safe order: mark, unlink, delete row); hidden from lists.</summary>
    public bool Deleting { get; init; }

    /// <summary>The recorder node that wrote the row (<c>[cluster] node_id</c>, M0010); '' for rows from before.</summary>
    public string NodeId { get; init; } = "";

    /// <summary>
    /// Not stored: the writer's lease epoch (fencing token, docs/scale.md). Set, the row is inserted only while
    /// <c>camera_leases</c> gives this stream to <see cref="NodeId"/> at this epoch; null, no check (one box).
    /// </summary>
    public long? LeaseEpoch { get; init; }

    internal static RecordingRecord Read(RowReader r) => new()
    {
        Id = r.Long("id"),
        StreamName = r.Text("stream_name"),
        FilePath = r.Text("file_path"),
        StartTime = DateTimeOffset.FromUnixTimeSeconds(r.Long("start_time")),
        EndTime = r.NullableLong("end_time") is { } end ? DateTimeOffset.FromUnixTimeSeconds(end) : null,
        SizeBytes = r.Long("size_bytes"),
        Width = r.Int("width"),
        Height = r.Int("height"),
        Fps = r.Int("fps"),
        Codec = r.Text("codec"),
        IsComplete = r.Bool("is_complete"),
        CreatedAt = DateTimeOffset.FromUnixTimeSeconds(r.Long("created_at")),
        TriggerType = r.Text("trigger_type", "scheduled"),
        Protected = r.Bool("protected"),
        RetentionOverrideDays = r.NullableLong("retention_override_days") is { } days ? (int)days : null,
        Deleting = r.Bool("deleting"),
        NodeId = r.Text("node_id"),
    };
}
