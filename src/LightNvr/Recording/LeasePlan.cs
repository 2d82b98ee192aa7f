using LightNvr.Data;

namespace LightNvr.Recording;

/// <summary>
/// Which leases a node claims and releases at one heartbeat (docs/scale.md "Balancing"), from one read of the shared
/// tables. Each live node's fair share is <c>min(capacity, ⌈cameras × capacity ÷ Σ live capacity⌉)</c>; a node takes
/// free cameras (no lease, released, or expired) up to its share, and beyond it only what the other live nodes have no
/// room for. Pinned cameras (a node's <c>[cluster] pinned_streams</c>) go to their node only, even while it is down.
/// Rebalancing is gentle: a valid lease is never taken; a node over its share while another is under it releases one
/// camera per heartbeat, which the other then claims.
/// </summary>
public sealed record LeasePlan(IReadOnlyList<string> Claim, IReadOnlyList<string> Release)
{
    public static LeasePlan Of(string me, int capacity, IReadOnlyList<string> streams, IReadOnlyList<CameraLease> leases,
        IReadOnlyList<NodeRecord> liveNodes, IReadOnlyList<NodeRecord> allNodes)
    {
        ArgumentNullException.ThrowIfNull(streams);
        ArgumentNullException.ThrowIfNull(leases);
        ArgumentNullException.ThrowIfNull(liveNodes);
        ArgumentNullException.ThrowIfNull(allNodes);
        var enabled = streams.ToHashSet(StringComparer.Ordinal);
        var pins = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in allNodes.OrderBy(n => n.NodeId, StringComparer.Ordinal))
        {
            foreach (var stream in node.PinnedStreams)
            {
                pins.TryAdd(stream, node.NodeId);
            }
        }

        var capacities = liveNodes.Where(n => n.NodeId != me).ToDictionary(n => n.NodeId, n => Math.Max(1, n.Capacity), StringComparer.Ordinal);
        capacities[me] = Math.Max(1, capacity);
        var total = capacities.Values.Sum();
        int Target(string node) => Math.Min(capacities[node], (int)Math.Ceiling(streams.Count * (double)capacities[node] / total));

        var valid = leases.Where(l => l.Valid && enabled.Contains(l.StreamName)).ToDictionary(l => l.StreamName, StringComparer.Ordinal);
        var heldBy = valid.Values.GroupBy(l => l.NodeId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var held = heldBy.GetValueOrDefault(me);
        var target = Target(me);

        var release = leases.Where(l => l.NodeId == me && l.Valid && !enabled.Contains(l.StreamName)).Select(l => l.StreamName).ToList();
        // A camera pinned to another node that this node holds (claimed before that node first said so, e.g. when both
        // start together) goes back at once; its node claims it as free at its next heartbeat.
        release.AddRange(valid.Values.Where(l => l.NodeId == me && pins.TryGetValue(l.StreamName, out var owner) && owner != me)
            .Select(l => l.StreamName));
        var free = streams.Where(s => !valid.ContainsKey(s)).ToList();
        var claim = free.Where(s => pins.GetValueOrDefault(s) == me).ToList();
        held += claim.Count;
        var unpinnedFree = free.Where(s => !pins.ContainsKey(s)).ToList();
        var share = unpinnedFree.Take(Math.Max(0, target - held)).ToList();
        claim.AddRange(share);
        held += share.Count;

        var othersRoom = capacities.Keys.Where(n => n != me).Sum(n => Math.Max(0, Target(n) - heldBy.GetValueOrDefault(n)));
        var left = unpinnedFree.Count - share.Count;
        var extra = Math.Min(Math.Max(0, left - othersRoom), Math.Max(0, capacities[me] - held));
        claim.AddRange(unpinnedFree.Skip(share.Count).Take(extra));
        held += extra;

        if (free.Count == 0 || claim.Count == 0)
        {
            var mine = valid.Values.Where(l => l.NodeId == me && !pins.ContainsKey(l.StreamName)).Select(l => l.StreamName)
                .Order(StringComparer.Ordinal).ToList();
            var someoneUnder = capacities.Keys.Any(n => n != me && heldBy.GetValueOrDefault(n) < Target(n));
            if (mine.Count > target && someoneUnder && unpinnedFree.Count == 0)
            {
                release.Add(mine[^1]);
            }
        }

        return new LeasePlan(claim, release);
    }
}
