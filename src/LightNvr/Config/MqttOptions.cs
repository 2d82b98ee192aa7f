namespace LightNvr.Config;

/// <summary>[mqtt]</summary>
public sealed class MqttOptions
{
    [ConfigKey(Setting = "mqtt_enabled", NoEffect = "stored, no effect yet (MQTT, issue 15)")]
    public bool Enabled { get; set; }

    [ConfigKey(Setting = "mqtt_broker_host", NoEffect = "stored, no effect yet (MQTT, issue 15)")]
    public string BrokerHost { get; set; } = "";

    [ConfigKey(Min = 1, Max = 65535, Setting = "mqtt_broker_port", NoEffect = "stored, no effect yet (MQTT, issue 15)")]
    public int BrokerPort { get; set; } = 1883;

    [ConfigKey(Setting = "mqtt_username", NoEffect = "stored, no effect yet (MQTT, issue 15)")]
    public string Username { get; set; } = "";

    [ConfigKey(IsSecret = true, Setting = "mqtt_password", NoEffect = "stored, no effect yet (MQTT, issue 15)")]
    public string Password { get; set; } = "";

    [ConfigKey(Setting = "mqtt_client_id", NoEffect = "stored, no effect yet (MQTT, issue 15)")]
    public string ClientId { get; set; } = "lightnvr";

    [ConfigKey(Setting = "mqtt_topic_prefix", NoEffect = "stored, no effect yet (MQTT, issue 15)")]
    public string TopicPrefix { get; set; } = "lightnvr";

    [ConfigKey(Setting = "mqtt_tls_enabled", NoEffect = "stored, no effect yet (MQTT, issue 15)")]
    public bool TlsEnabled { get; set; }

    /// <summary>Seconds (MQTT 3.1.1 §3.1.2.10 allows up to 65535).</summary>
    [ConfigKey(Min = 0, Max = 65535, Setting = "mqtt_keepalive", NoEffect = "stored, no effect yet (MQTT, issue 15)")]
    public int Keepalive { get; set; } = 60;

    [ConfigKey(Min = 0, Max = 2, Setting = "mqtt_qos", NoEffect = "stored, no effect yet (MQTT, issue 15)")]
    public int Qos { get; set; } = 1;

    [ConfigKey(Setting = "mqtt_retain", NoEffect = "stored, no effect yet (MQTT, issue 15)")]
    public bool Retain { get; set; }

    [ConfigKey(Aliases = ["ha_discovery_enabled"], Setting = "mqtt_ha_discovery", NoEffect = "stored, no effect yet (MQTT, issue 15)")]
    public bool HaDiscovery { get; set; }

    [ConfigKey(Setting = "mqtt_ha_discovery_prefix", NoEffect = "stored, no effect yet (MQTT, issue 15)")]
    public string HaDiscoveryPrefix { get; set; } = "homeassistant";

    /// <summary>Seconds; 0 = off, upstream's maximum 300.</summary>
    [ConfigKey(Min = 0, Max = 300, Setting = "mqtt_ha_snapshot_interval", NoEffect = "stored, no effect yet (MQTT, issue 15)")]
    public int HaSnapshotInterval { get; set; } = 30;
}
