namespace LightNvr.Integrations.Mqtt;

/// <summary>How a switch command over MQTT ended (logged; the switch's state is republished either way).</summary>
public enum MqttCommandOutcome
{
    /// <summary>The stream was changed through the stream service, as <c>PUT /api/streams/{name}</c> does.</summary>
    Done,

    /// <summary>Nothing to change: the stream already was so.</summary>
    Unchanged,

    /// <summary>The payload was neither ON nor OFF.</summary>
    BadPayload,

    /// <summary>No stream of that name.</summary>
    UnknownStream,

    /// <summary>No <c>command_user</c>, or that user is missing, inactive, a viewer, or may not see the stream.</summary>
    Forbidden,
}
