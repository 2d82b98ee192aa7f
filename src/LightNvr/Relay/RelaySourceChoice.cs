using LightNvr.Recording;

namespace LightNvr.Relay;

/// <summary>
/// The rule of docs/scale.md "Live view on any node", decided at each (re)connect of a camera's source: relay from the
/// node holding the camera's lease when that node is healthy (heartbeat within the lease time), publishes an RTSP
/// address and has not refused or failed a relay of this camera lately; otherwise connect to the camera. A node
/// holding the lease itself always connects to the camera (its recorder needs it, and it is where others relay from).
/// Pure: the caller passes what the last heartbeat read and how long ago.
/// </summary>
public static class RelaySourceChoice
{
    public static RelayChoice Choose(string stream, string me, bool holdsLease, ClusterView? view, TimeSpan ttl,
        TimeSpan sinceRead, Func<string, bool> failedRecently)
    {
        ArgumentNullException.ThrowIfNull(failedRecently);
        if (holdsLease)
        {
            return RelayChoice.Direct("this node holds its lease");
        }

        if (view is null)
        {
            return RelayChoice.Direct("no lease read yet");
        }

        var age = (long)sinceRead.TotalMilliseconds;
        var lease = view.Leases.FirstOrDefault(l => l.StreamName == stream);
        if (lease is null || lease.Released || lease.RemainingMilliseconds - age <= 0)
        {
            return RelayChoice.Direct("no node holds its lease");
        }

        if (lease.NodeId == me)
        {
            return RelayChoice.Direct("its lease is being renewed by this node");
        }

        var node = view.Nodes.FirstOrDefault(n => n.NodeId == lease.NodeId);
        if (node is null || node.HeartbeatAgeMilliseconds + age >= (long)ttl.TotalMilliseconds)
        {
            return RelayChoice.Direct($"its holder {lease.NodeId} is not healthy");
        }

        if (!Uri.TryCreate(node.RtspAddress, UriKind.Absolute, out var address) ||
            !string.Equals(address.Scheme, "rtsp", StringComparison.OrdinalIgnoreCase))
        {
            return RelayChoice.Direct($"its holder {lease.NodeId} has no RTSP address");
        }

        return failedRecently(node.NodeId)
            ? RelayChoice.Direct($"its holder {lease.NodeId} refused or failed a relay lately")
            : new RelayChoice(node.NodeId, node.RtspAddress, $"relayed from {node.NodeId}");
    }
}
