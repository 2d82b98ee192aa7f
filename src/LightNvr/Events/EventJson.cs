using System.Text.Json.Nodes;
using LightNvr.Data;

namespace LightNvr.Events;

/// <summary>
/// The event object of <c>GET /api/events</c>, <c>GET /api/events/{id}</c> and the feed (docs/events.md): the UI builds
/// against exactly these field names.
/// </summary>
public static class EventJson
{
    public static JsonObject ToJson(EventRecord e) => new()
    {
        ["id"] = e.Id,
        ["stream"] = e.StreamName,
        ["source"] = e.Source,
        ["label"] = e.Label,
        ["confidence"] = Math.Round(e.Confidence, 4),
        ["zone"] = e.Zone,
        ["box"] = e.X is { } x && e.Y is { } y && e.Width is { } w && e.Height is { } h
            ? new JsonObject { ["x"] = Math.Round(x, 4), ["y"] = Math.Round(y, 4), ["width"] = Math.Round(w, 4), ["height"] = Math.Round(h, 4) }
            : null,
        ["start_time"] = e.StartTime,
        ["end_time"] = e.EndTime,
        ["active"] = e.Active,
        ["snapshot"] = SnapshotUrl(e),
        ["recording_id"] = e.RecordingId,
    };

    /// <summary><c>/api/snapshots/{stream}/{file}</c> for the event's snapshot, or null when it has none.</summary>
    public static string? SnapshotUrl(EventRecord e) => e.SnapshotPath is { Length: > 0 } path
        ? $"/api/snapshots/{Uri.EscapeDataString(e.StreamName)}/{Uri.EscapeDataString(Path.GetFileName(path))}"
        : null;
}
