using System.Text;

namespace LightNvr.Integrations.Mqtt;

/// <summary>
/// One message to publish. <paramref name="Qos"/> is 0, 1 or 2. <paramref name="QueueWhileAway"/>: kept in the outbox
/// while the broker is away and sent in order once it is back (events, entity removals); otherwise it is state that the
/// next connection republishes in full anyway (retained states, discovery, pictures), so it is not queued.
/// </summary>
public sealed record MqttMessage(string Topic, ReadOnlyMemory<byte> Payload, int Qos, bool Retain, bool QueueWhileAway)
{
    /// <summary>A UTF-8 text payload.</summary>
    public static MqttMessage Text(string topic, string text, int qos, bool retain, bool queueWhileAway) =>
        new(topic, Encoding.UTF8.GetBytes(text), qos, retain, queueWhileAway);

    /// <summary>A retained state (QoS 1): republished on every connection, so never queued.</summary>
    public static MqttMessage State(string topic, string text) => Text(topic, text, 1, retain: true, queueWhileAway: false);

    /// <summary>An empty retained message: deletes the broker's retained message on that topic (MQTT 3.1.1 §3.3.1.3).</summary>
    public static MqttMessage Clear(string topic) => new(topic, ReadOnlyMemory<byte>.Empty, 1, Retain: true, QueueWhileAway: true);

    public string PayloadText => Encoding.UTF8.GetString(Payload.Span);
}
