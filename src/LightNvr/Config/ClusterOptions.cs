namespace LightNvr.Config;

/// <summary>
/// [cluster]: this node's identity when several recorder nodes share one PostgreSQL database (issue 19,
/// docs/scale.md). Stored now; camera leases that use them are not built yet.
/// </summary>
public sealed record ClusterOptions
{
    /// <summary>This node's name among the nodes sharing the database; empty = the host name.</summary>
    [ConfigKey(NoEffect = "stored, no effect yet (recorder nodes, issue 19)")]
    public string NodeId { get; init; } = "";

    /// <summary>How many cameras this node may record, for balancing leases by capacity.</summary>
    [ConfigKey(Min = 1, Max = MaxCapacity, NoEffect = "stored, no effect yet (recorder nodes, issue 19)")]
    public int Capacity { get; init; } = 16;

    /// <summary>Upstream's ceiling on <c>[streams] max_streams</c> (lightnvr-upstream.md §3): one node records no more.</summary>
    public const int MaxCapacity = 256;

    /// <summary>The type name only: a record would print every value, secrets included (logs, test output).</summary>
    public override string ToString() => nameof(ClusterOptions);
}
