namespace LightNvr.Config;

/// <summary>
/// [cluster] (ours, issue 19, docs/scale.md): this recorder node's identity among the nodes sharing one PostgreSQL
/// database. With SQLite (one box) the node records every camera and only <see cref="NodeId"/> is used (recordings rows
/// name it).
/// </summary>
public sealed record ClusterOptions
{
    /// <summary>This node's name among the nodes sharing the database; empty = the host name.</summary>
    [ConfigKey]
    public string NodeId { get; init; } = "";

    /// <summary>How many cameras this node may record, for balancing leases by capacity.</summary>
    [ConfigKey(Min = 1, Max = MaxCapacity)]
    public int Capacity { get; init; } = 16;

    /// <summary>This node's API base URL as the other nodes reach it (requests for recordings stored here are proxied there);
    /// empty = <c>http://HOSTNAME:[web] port</c>.</summary>
    [ConfigKey]
    public string ApiUrl { get; init; } = "";

    /// <summary>This node's RTSP restream server as the other nodes reach it: a node that does not hold a camera's
    /// lease relays live view of it from here instead of opening another session to the camera (docs/scale.md);
    /// empty = <c>rtsp://HOSTNAME:[go2rtc] rtsp_port</c> (none when the RTSP server is off).</summary>
    [ConfigKey]
    public string RtspUrl { get; init; } = "";

    /// <summary>Streams only this node records (comma-separated names); no other node takes their leases, even while
    /// this node is down.</summary>
    [ConfigKey]
    public string PinnedStreams { get; init; } = "";

    /// <summary>Seconds between heartbeats (lease renewals and claims).</summary>
    [ConfigKey(Min = 1, Max = 60)]
    public int HeartbeatInterval { get; init; } = 5;

    /// <summary>Seconds a lease lasts without renewal: a node silent this long loses its cameras to the others
    /// (take-over within about <c>lease_ttl + heartbeat_interval</c>). At least twice the heartbeat interval.</summary>
    [ConfigKey(Min = 2, Max = 300)]
    public int LeaseTtl { get; init; } = 15;

    /// <summary>Where this node's recordings live, for retention (docs/scale.md): empty = its own storage path, so
    /// its retention sweep takes only its own rows; a name = a storage path shared by every node with the same name,
    /// swept by one of them at a time (a lease row in <c>storage_sweeps</c>). PostgreSQL only.</summary>
    [ConfigKey]
    public string StorageId { get; init; } = "";

    /// <summary>Upstream's ceiling on <c>[streams] max_streams</c> (lightnvr-upstream.md §3): one node records no more.</summary>
    public const int MaxCapacity = 256;

    /// <summary>The type name only: a record would print every value, secrets included (logs, test output).</summary>
    public override string ToString() => nameof(ClusterOptions);
}
