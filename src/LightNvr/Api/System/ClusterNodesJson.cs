using System.Text.Json;
using LightNvr.Data;
using LightNvr.Recording;

namespace LightNvr.Api.System;

/// <summary>
/// The <c>nodes</c> list of <c>GET /api/system</c> (ours, issue 19, docs/scale.md): every recorder node sharing the
/// database with its health (heartbeat within the lease time), the cameras it holds and its load (cameras ÷
/// capacity), and its <c>state</c> (up, down: heartbeat older than the lease time, stopped: left gracefully). On one box
/// (SQLite) the list is this node alone, with the cameras it records.
/// </summary>
public static class ClusterNodesJson
{
    public static async Task<byte[]> AddToAsync(byte[] info, RecordingLeases leases, LeaseStore store, RecordingService recording,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(leases);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(recording);
        var nodes = new List<(NodeRecord Node, bool Healthy, long AgeMs, IReadOnlyList<string> Cameras)>();
        if (!leases.Enabled)
        {
            nodes.Add((leases.Node, true, 0, recording.Recorders.Select(r => r.StreamName).Order(StringComparer.Ordinal).ToList()));
        }
        else
        {
            try
            {
                var held = (await store.ListLeasesAsync(ct).ConfigureAwait(false)).Where(l => l.Valid).ToLookup(l => l.NodeId);
                foreach (var node in await store.ListNodesAsync(ct).ConfigureAwait(false))
                {
                    var healthy = node.HeartbeatAt.ToUnixTimeMilliseconds() > 0 && node.HeartbeatAgeMilliseconds < leases.Ttl.TotalMilliseconds;
                    nodes.Add((node, healthy, node.HeartbeatAgeMilliseconds, held[node.NodeId].Select(l => l.StreamName).ToList()));
                }
            }
            catch (global::System.Data.Common.DbException)
            {
                nodes.Add((leases.Node, true, 0, [.. leases.Held.Keys.Order(StringComparer.Ordinal)]));
            }
        }

        using var doc = JsonDocument.Parse(info);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                property.WriteTo(w);
            }
            w.WriteString("node_id", leases.NodeId);
            w.WriteStartArray("nodes");
            foreach (var (node, healthy, age, cameras) in nodes)
            {
                w.WriteStartObject();
                w.WriteString("node_id", node.NodeId);
                w.WriteString("address", node.Address);
                w.WriteString("rtsp_address", node.RtspAddress); // where the other nodes relay its cameras' live view from
                w.WriteString("storage_id", node.StorageId);
                w.WriteString("version", node.Version);
                w.WriteNumber("capacity", node.Capacity);
                w.WriteBoolean("healthy", healthy);
                // up: heartbeat within the lease time; stopped: left gracefully (heartbeat cleared); down: silent.
                w.WriteString("state", healthy ? "up" : node.HeartbeatAt.ToUnixTimeMilliseconds() <= 0 ? "stopped" : "down");
                w.WriteNumber("heartbeat_age_ms", age);
                w.WriteNumber("camera_count", cameras.Count);
                w.WriteStartArray("cameras");
                foreach (var camera in cameras)
                {
                    w.WriteStringValue(camera);
                }
                w.WriteEndArray();
                w.WriteNumber("load", node.Capacity > 0 ? Math.Round(cameras.Count / (double)node.Capacity, 3) : 0);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return stream.ToArray();
    }
}
