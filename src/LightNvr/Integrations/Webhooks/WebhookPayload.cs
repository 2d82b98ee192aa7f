using System.Text.Json.Nodes;
using LightNvr.Events;

namespace LightNvr.Integrations.Webhooks;

/// <summary>
/// The request bodies (docs/webhooks.md). An event change:
/// <c>{"type":"event.start|event.update|event.end","occurred_at":unix,"event":{…}}</c> with the event object of
/// <c>GET /api/events/{id}</c> (<see cref="EventJson"/>); <c>occurred_at</c> is the event's start, its last sighting
/// (update) or its end. The test button's: <c>{"type":"test","occurred_at":unix,"webhook_id":N,"message":"…"}</c>.
/// Paths in the event (<c>snapshot</c>) are relative to the NVR's base URL.
/// </summary>
public static class WebhookPayload
{
    public const string Test = "test";
    public const string TestMessage = "Test delivery from LightNVR";

    /// <summary>The event kind names a hook subscribes to (<c>start</c>, <c>update</c>, <c>end</c>), as stored.</summary>
    public static string KindName(EventChangeKind kind) => kind switch
    {
        EventChangeKind.Start => "start",
        EventChangeKind.Update => "update",
        _ => "end",
    };

    public static readonly IReadOnlyList<string> KindNames = ["start", "update", "end"];

    /// <summary>The payload's <c>type</c>: <c>event.</c> + the kind.</summary>
    public static string Type(EventChangeKind kind) => "event." + KindName(kind);

    public static string ForEvent(EventChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var e = change.Event;
        var occurred = change.Kind switch
        {
            EventChangeKind.Start => e.StartTime,
            EventChangeKind.Update => e.LastSeen,
            _ => e.EndTime ?? e.LastSeen,
        };
        return new JsonObject
        {
            ["type"] = Type(change.Kind),
            ["occurred_at"] = occurred,
            ["event"] = EventJson.ToJson(e),
        }.ToJsonString();
    }

    public static string ForTest(long webhookId, DateTimeOffset now) => new JsonObject
    {
        ["type"] = Test,
        ["occurred_at"] = now.ToUnixTimeSeconds(),
        ["webhook_id"] = webhookId,
        ["message"] = TestMessage,
    }.ToJsonString();
}
