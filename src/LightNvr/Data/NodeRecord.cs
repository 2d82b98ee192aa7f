namespace LightNvr.Data;

/// <summary>
/// One row of <c>nodes</c> (M0010): a recorder node sharing the database. <see cref="HeartbeatAgeMilliseconds"/> is
/// measured on the database's clock when the row is read.
/// </summary>
public sealed record NodeRecord
{
    public required string NodeId { get; init; }
    public string Address { get; init; } = "";
    public int Capacity { get; init; }
    /// <summary>Streams only this node records.</summary>
    public IReadOnlyList<string> PinnedStreams { get; init; } = [];
    public string Version { get; init; } = "";
    /// <summary><c>[cluster] storage_id</c>: nodes with the same non-empty value share one storage path (M0011).</summary>
    public string StorageId { get; init; } = "";
    /// <summary>
    /// <c>[cluster] rtsp_url</c>: where the other nodes reach this node's RTSP restream server to relay live view of
    /// the cameras it holds ('' = none, M0012).
    /// </summary>
    public string RtspAddress { get; init; } = "";
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset HeartbeatAt { get; init; }
    public long HeartbeatAgeMilliseconds { get; init; }

    internal static NodeRecord Read(RowReader r) => new()
    {
        NodeId = r.Text("node_id"),
        Address = r.Text("address"),
        Capacity = r.Int("capacity"),
        PinnedStreams = SplitNames(r.Text("pinned_streams")),
        Version = r.Text("version"),
        StorageId = r.Text("storage_id"),
        RtspAddress = r.Text("rtsp_address"),
        StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.Long("started_at")),
        HeartbeatAt = DateTimeOffset.FromUnixTimeMilliseconds(r.Long("heartbeat_at")),
        HeartbeatAgeMilliseconds = r.Long("age_ms"),
    };

    /// <summary>This node's id: <c>[cluster] node_id</c>, or the host name when it is empty.</summary>
    public static string LocalId(string configured) => configured.Length > 0 ? configured : Environment.MachineName;

    /// <summary>A comma-separated list of names, trimmed, empty entries dropped.</summary>
    public static IReadOnlyList<string> SplitNames(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
