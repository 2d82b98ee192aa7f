using System.Text.Json.Nodes;
using LightNvr.Data;
using LightNvr.Events;

namespace LightNvr.Integrations.Mqtt;

/// <summary>
/// What an event change publishes: always <c>&lt;prefix&gt;/events</c> with the event object of <c>GET /api/events</c>
/// (so one parser serves the API, the feed and MQTT); at an event's start also upstream LightNVR's
/// <c>&lt;prefix&gt;/detections/&lt;stream&gt;</c> message, so automations written for upstream keep working.
/// QoS and retain are <c>[mqtt] qos</c> and <c>retain</c> (upstream applies them to detections).
/// </summary>
public static class MqttEventMessages
{
    public static IEnumerable<MqttMessage> For(EventChange change, MqttTopics topics, int qos, bool retain)
    {
        var type = change.Kind switch
        {
            EventChangeKind.Start => "start",
            EventChangeKind.Update => "update",
            _ => "end",
        };
        var body = new JsonObject { ["type"] = type, ["event"] = EventJson.ToJson(change.Event) };
        yield return MqttMessage.Text(topics.Events, body.ToJsonString(), qos, retain, queueWhileAway: true);
        if (change.Kind == EventChangeKind.Start)
        {
            yield return MqttMessage.Text(topics.Detections(change.Event.StreamName), Upstream(change.Event, topics).ToJsonString(),
                qos, retain, queueWhileAway: true);
        }
    }

    /// <summary>
    /// Upstream's detection message (MQTT_INTEGRATION.md): stream, timestamp, count, detections[] with label, confidence,
    /// box and zone_id; <c>snapshot_url</c> and <c>snapshot_topic</c> when the event has a picture. Ours adds
    /// <c>event_id</c> and <c>recording_id</c>.
    /// </summary>
    public static JsonObject Upstream(EventRecord e, MqttTopics topics)
    {
        var detection = new JsonObject
        {
            ["label"] = e.Label,
            ["confidence"] = Math.Round(e.Confidence, 4),
            ["x"] = Math.Round(e.X ?? 0, 4),
            ["y"] = Math.Round(e.Y ?? 0, 4),
            ["width"] = Math.Round(e.Width ?? 0, 4),
            ["height"] = Math.Round(e.Height ?? 0, 4),
        };
        if (e.Zone is { Length: > 0 } zone)
        {
            detection["zone_id"] = zone;
        }
        var body = new JsonObject
        {
            ["stream"] = e.StreamName,
            ["timestamp"] = e.StartTime,
            ["count"] = 1,
            ["event_id"] = e.Id,
            ["recording_id"] = e.RecordingId,
        };
        if (EventJson.SnapshotUrl(e) is { } url)
        {
            body["snapshot_url"] = url;
            body["snapshot_topic"] = topics.Snapshot(e.StreamName);
        }
        body["detections"] = new JsonArray(detection);
        return body;
    }
}
