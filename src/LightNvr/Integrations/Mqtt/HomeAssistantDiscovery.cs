using System.Text.Json.Nodes;

namespace LightNvr.Integrations.Mqtt;

/// <summary>
/// Home Assistant MQTT discovery (retained <c>&lt;ha_discovery_prefix&gt;/&lt;component&gt;/&lt;node&gt;/&lt;object&gt;/config</c>):
/// one device per camera with a camera entity (the snapshot topic), binary sensors for online and motion and one for
/// each object label's occupancy, a count sensor per label, a storage sensor, and switches for recording and
/// detection; one device for the NVR with disk and version sensors. Every entity's availability is the NVR's
/// <c>availability</c> topic (online on connect, offline as the last will). An empty retained config removes an entity
/// (<see cref="Removal"/>).
/// </summary>
public sealed class HomeAssistantDiscovery(MqttTopics topics, string version)
{
    /// <summary>One entity's discovery topic and config.</summary>
    public sealed record Entity(string Component, string ObjectId, JsonObject Config)
    {
        public string Topic(MqttTopics topics) => topics.DiscoveryConfig(Component, ObjectId);
    }

    /// <summary>Every entity of a camera with these object labels.</summary>
    public IEnumerable<Entity> Camera(string stream, IReadOnlyList<string> labels)
    {
        var id = MqttTopics.ObjectId(stream);
        yield return Make("camera", stream, $"{id}_camera", "Snapshot", new JsonObject
        {
            ["topic"] = topics.Snapshot(stream),
        });
        yield return Make("binary_sensor", stream, $"{id}_online", "Online", new JsonObject
        {
            ["state_topic"] = topics.Online(stream), ["device_class"] = "connectivity", ["entity_category"] = "diagnostic",
        });
        yield return Make("binary_sensor", stream, $"{id}_motion", "Motion", new JsonObject
        {
            ["state_topic"] = topics.Motion(stream), ["device_class"] = "motion",
        });
        foreach (var label in labels)
        {
            foreach (var entity in Label(stream, label))
            {
                yield return entity;
            }
        }
        yield return Make("sensor", stream, $"{id}_storage", "Storage used", new JsonObject
        {
            ["state_topic"] = topics.Storage(stream), ["device_class"] = "data_size", ["unit_of_measurement"] = "B",
            ["state_class"] = "measurement", ["entity_category"] = "diagnostic",
        });
        foreach (var name in (string[])[MqttTopics.RecordingSwitch, MqttTopics.DetectionSwitch])
        {
            yield return Make("switch", stream, $"{id}_{name}", name == MqttTopics.RecordingSwitch ? "Recording" : "Detection",
                new JsonObject
                {
                    ["state_topic"] = topics.SwitchState(stream, name), ["command_topic"] = topics.SwitchCommand(stream, name),
                    ["icon"] = name == MqttTopics.RecordingSwitch ? "mdi:record-rec" : "mdi:motion-sensor",
                });
        }
    }

    /// <summary>A label's occupancy binary sensor and count sensor (both read the count topic).</summary>
    public IEnumerable<Entity> Label(string stream, string label)
    {
        var id = $"{MqttTopics.ObjectId(stream)}_{MqttTopics.ObjectId(label)}";
        var topic = topics.Objects(stream, label);
        yield return Make("binary_sensor", stream, $"{id}_occupancy", $"{label} occupancy", new JsonObject
        {
            ["state_topic"] = topic, ["device_class"] = "occupancy",
            ["value_template"] = "{{ 'ON' if (value | int(0)) > 0 else 'OFF' }}",
        });
        yield return Make("sensor", stream, $"{id}_count", $"{label} count", new JsonObject
        {
            ["state_topic"] = topic, ["state_class"] = "measurement", ["icon"] = "mdi:counter",
        });
    }

    /// <summary>The NVR's own device: free disk space and version (from <c>&lt;prefix&gt;/system</c>).</summary>
    public IEnumerable<Entity> Nvr()
    {
        yield return MakeNvr("sensor", "disk_free", "Disk free", new JsonObject
        {
            ["state_topic"] = topics.System, ["value_template"] = "{{ value_json.disk_free_bytes }}",
            ["device_class"] = "data_size", ["unit_of_measurement"] = "B", ["state_class"] = "measurement",
        });
        yield return MakeNvr("sensor", "disk_free_pct", "Disk free percent", new JsonObject
        {
            ["state_topic"] = topics.System, ["value_template"] = "{{ value_json.disk_free_pct }}",
            ["unit_of_measurement"] = "%", ["state_class"] = "measurement", ["icon"] = "mdi:harddisk",
        });
        yield return MakeNvr("sensor", "version", "Version", new JsonObject
        {
            ["state_topic"] = topics.System, ["value_template"] = "{{ value_json.version }}", ["entity_category"] = "diagnostic",
        });
    }

    /// <summary>An empty retained config: Home Assistant removes the entity.</summary>
    public MqttMessage Removal(Entity entity) => MqttMessage.Clear(entity.Topic(topics));

    public MqttMessage Message(Entity entity) =>
        MqttMessage.Text(entity.Topic(topics), entity.Config.ToJsonString(), 1, retain: true, queueWhileAway: false);

    private Entity Make(string component, string stream, string objectId, string name, JsonObject config)
    {
        config["device"] = new JsonObject
        {
            ["identifiers"] = new JsonArray($"{topics.NodeId}_{MqttTopics.ObjectId(stream)}"),
            ["name"] = stream,
            ["manufacturer"] = "LightNVR",
            ["model"] = "Camera",
            ["via_device"] = topics.NodeId,
        };
        return Finish(component, objectId, name, config);
    }

    private Entity MakeNvr(string component, string objectId, string name, JsonObject config)
    {
        config["device"] = new JsonObject
        {
            ["identifiers"] = new JsonArray(topics.NodeId),
            ["name"] = "LightNVR",
            ["manufacturer"] = "LightNVR",
            ["model"] = "LightNVR for .NET",
            ["sw_version"] = version,
        };
        return Finish(component, $"nvr_{objectId}", name, config);
    }

    private Entity Finish(string component, string objectId, string name, JsonObject config)
    {
        config["name"] = name;
        config["unique_id"] = $"{topics.NodeId}_{objectId}";
        config["availability_topic"] = topics.Availability;
        config["payload_available"] = "online";
        config["payload_not_available"] = "offline";
        return new Entity(component, objectId, config);
    }
}
