using LightNvr.Data;

namespace LightNvr.Storage;

/// <summary>
/// What this node's retention sweep may delete (docs/scale.md "Retention"), decided before each sweep. One box
/// (SQLite): every row. Recorder nodes on PostgreSQL with their own storage (<c>[cluster] storage_id</c> empty): the
/// rows this node wrote, plus the rows from before the nodes when no other node ever joined. A shared location
/// (<c>storage_id</c> set): every row of the nodes declaring it, but only while this node holds the location's sweep
/// lease (<see cref="LeaseStore.ClaimSweepAsync"/>, kept at each sweep for <see cref="SweepLeaseTtl"/>), so one node at
/// a time sweeps it; the others skip their sweeps and take over when the holder stops sweeping.
/// </summary>
public sealed class SweepLocation(LeaseStore leases, string nodeId, string storageId)
{
    /// <summary>Three sweep intervals: a holder that missed two sweeps (down, or cut off) hands the location over.</summary>
    public static readonly TimeSpan SweepLeaseTtl = 3 * StorageService.SweepInterval;

    public string NodeId => nodeId;

    /// <summary>The shared location's name, or "" for a node's own storage.</summary>
    public string StorageId => storageId;

    /// <summary>The rows this sweep may take; null = another node sweeps this shared location now.</summary>
    public async Task<RetentionScope?> ScopeAsync(CancellationToken ct)
    {
        var legacy = !await leases.OtherNodesExistAsync(nodeId, ct).ConfigureAwait(false);
        if (storageId.Length == 0)
        {
            return new RetentionScope { NodeId = nodeId, IncludeLegacy = legacy };
        }
        return await leases.ClaimSweepAsync(nodeId, storageId, SweepLeaseTtl, ct).ConfigureAwait(false)
            ? new RetentionScope { StorageId = storageId, IncludeLegacy = legacy }
            : null;
    }
}
