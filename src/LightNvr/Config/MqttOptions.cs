namespace LightNvr.Config;

/// <summary>[mqtt]: the MQTT client and Home Assistant discovery (src/LightNvr/Integrations/Mqtt, docs/integrations.md).</summary>
public sealed record MqttOptions
{
    /// <summary>Values of <see cref="ProtocolVersion"/>.</summary>
    public const string Protocol311 = "3.1.1", Protocol5 = "5";

    [ConfigKey(Setting = "mqtt_enabled")]
    public bool Enabled { get; init; }

    [ConfigKey(Setting = "mqtt_broker_host")]
    public string BrokerHost { get; init; } = "";

    [ConfigKey(Min = 1, Max = 65535, Setting = "mqtt_broker_port")]
    public int BrokerPort { get; init; } = 1883;

    [ConfigKey(Setting = "mqtt_username")]
    public string Username { get; init; } = "";

    [ConfigKey(IsSecret = true, Setting = "mqtt_password")]
    public string Password { get; init; } = "";

    [ConfigKey(Setting = "mqtt_client_id")]
    public string ClientId { get; init; } = "lightnvr";

    [ConfigKey(Setting = "mqtt_topic_prefix")]
    public string TopicPrefix { get; init; } = "lightnvr";

    [ConfigKey(Setting = "mqtt_tls_enabled")]
    public bool TlsEnabled { get; init; }

    /// <summary>Seconds (MQTT 3.1.1 §3.1.2.10 allows up to 65535).</summary>
    [ConfigKey(Min = 0, Max = 65535, Setting = "mqtt_keepalive")]
    public int Keepalive { get; init; } = 60;

    [ConfigKey(Min = 0, Max = 2, Setting = "mqtt_qos")]
    public int Qos { get; init; } = 1;

    [ConfigKey(Setting = "mqtt_retain")]
    public bool Retain { get; init; }

    [ConfigKey(Aliases = ["ha_discovery_enabled"], Setting = "mqtt_ha_discovery")]
    public bool HaDiscovery { get; init; }

    [ConfigKey(Setting = "mqtt_ha_discovery_prefix")]
    public string HaDiscoveryPrefix { get; init; } = "homeassistant";

    /// <summary>Seconds; 0 = off, upstream's maximum 300.</summary>
    [ConfigKey(Min = 0, Max = 300, Setting = "mqtt_ha_snapshot_interval")]
    public int HaSnapshotInterval { get; init; } = 30;

    /// <summary>PEM file of the CA(s) that sign the broker's certificate (ours); empty = the system's trust store.</summary>
    [ConfigKey(IsPath = true, Setting = "mqtt_ca_file")]
    public string CaFile { get; init; } = "";

    /// <summary>MQTT 3.1.1 (upstream's libmosquitto default) or 5 (ours).</summary>
    [ConfigKey(Choices = [Protocol311, Protocol5], Setting = "mqtt_protocol_version")]
    public string ProtocolVersion { get; init; } = Protocol311;

    /// <summary>
    /// The user whose role and stream access gate commands over MQTT (Home Assistant switches): an active admin, user
    /// or api account that may see the stream. Empty = commands are refused (ours).
    /// </summary>
    [ConfigKey(Setting = "mqtt_command_user")]
    public string CommandUser { get; init; } = "";

    /// <summary>The type name only: a record would print every value, secrets included (logs, test output).</summary>
    public override string ToString() => nameof(MqttOptions);
}
