using System.Data.Common;

namespace LightNvr.Data;

/// <summary>
/// Which recordings rows a retention sweep may take (docs/scale.md "Retention"): a node deletes only rows whose files
/// it can reach. <see cref="Everything"/> on one box; with recorder nodes on their own storage, the rows this node wrote
/// (<see cref="NodeId"/>); on a shared storage location, the rows of every node declaring it (<see cref="StorageId"/>).
/// Rows from before the nodes (node_id '') are included only when <see cref="IncludeLegacy"/> (a database with a single
/// node: the box they came from).
/// </summary>
public sealed record RetentionScope
{
    public static readonly RetentionScope Everything = new();

    /// <summary>Only this node's rows; null = no node condition.</summary>
    public string? NodeId { get; init; }

    /// <summary>The rows of every node whose <c>nodes.storage_id</c> is this; null = no location condition.</summary>
    public string? StorageId { get; init; }

    public bool IncludeLegacy { get; init; } = true;

    /// <summary>The condition to AND to a recordings query ("" for <see cref="Everything"/>), binding its parameters.</summary>
    public string Sql(DbCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var legacy = IncludeLegacy ? " OR node_id = ''" : "";
        if (StorageId is { } location)
        {
            command.Parameters.AddWithValue("@scope_loc", location);
            return $" AND (node_id IN (SELECT node_id FROM nodes WHERE storage_id = @scope_loc){legacy})";
        }
        if (NodeId is { } node)
        {
            command.Parameters.AddWithValue("@scope_node", node);
            return $" AND (node_id = @scope_node{legacy})";
        }
        return "";
    }
}
