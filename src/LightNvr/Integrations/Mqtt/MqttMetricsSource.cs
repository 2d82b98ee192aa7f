using LightNvr.Metrics;

namespace LightNvr.Integrations.Mqtt;

/// <summary>The MQTT client's figures for <c>/api/metrics</c> (only when <c>[mqtt] enabled</c>; docs/metrics.md).</summary>
public sealed class MqttMetricsSource(MqttBridge bridge) : IMetricsSource
{
    public void Collect(MetricsScrape scrape)
    {
        var w = scrape.Writer;
        var c = bridge.Connection;
        w.Family("lightnvr_mqtt_connected", MetricType.Gauge, "1 while connected to the MQTT broker.");
        w.Sample(c.IsConnected ? 1 : 0);
        w.Family("lightnvr_mqtt_connects_total", MetricType.Counter, "Successful MQTT connections (the first and every reconnection).");
        w.Sample(c.Connects);
        w.Family("lightnvr_mqtt_published_total", MetricType.Counter, "MQTT messages published.");
        w.Sample(c.Published);
        w.Family("lightnvr_mqtt_refused_total", MetricType.Counter, "MQTT messages the broker refused (dropped).");
        w.Sample(c.Refused);
        w.Family("lightnvr_mqtt_outbox_messages", MetricType.Gauge, "MQTT messages waiting for the broker.");
        w.Sample(bridge.Outbox.Count);
        w.Family("lightnvr_mqtt_outbox_dropped_total", MetricType.Counter, "MQTT messages dropped because the outbox was full (oldest first).");
        w.Sample(bridge.Outbox.Dropped);
    }
}
