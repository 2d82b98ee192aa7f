using LightNvr.Data;

namespace LightNvr.Recording;

/// <summary>
/// The <c>camera_leases</c> and <c>nodes</c> rows one heartbeat read, with the moment it read them
/// (<see cref="TimeProvider.GetTimestamp"/>): the rows' remaining lease times and heartbeat ages are as of then, so a
/// reader adds the time since <see cref="ReadAt"/>.
/// </summary>
public sealed record ClusterView(IReadOnlyList<CameraLease> Leases, IReadOnlyList<NodeRecord> Nodes, long ReadAt);
