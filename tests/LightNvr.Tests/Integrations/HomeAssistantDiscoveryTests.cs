using System.Text.Json;
using LightNvr.Integrations.Mqtt;

namespace LightNvr.Tests.Integrations;

/// <summary>Discovery configs: the entities of a camera, their topics, device and availability; removal is an empty retained config.</summary>
public sealed class HomeAssistantDiscoveryTests
{
    private static readonly MqttTopics Topics = new("lightnvr", "homeassistant", "lightnvr");
    private static readonly HomeAssistantDiscovery Discovery = new(Topics, "1.2.3");

    [Fact]
    public void A_camera_has_picture_online_motion_labels_storage_and_two_switches()
    {
        var entities = Discovery.Camera("front.door", ["person", "car"]).ToList();
        Assert.Equal(
        [
            "camera/front_door_camera", "binary_sensor/front_door_online", "binary_sensor/front_door_motion",
            "binary_sensor/front_door_person_occupancy", "sensor/front_door_person_count",
            "binary_sensor/front_door_car_occupancy", "sensor/front_door_car_count",
            "sensor/front_door_storage", "switch/front_door_recording", "switch/front_door_detection",
        ], entities.Select(e => $"{e.Component}/{e.ObjectId}"));

        foreach (var entity in entities)
        {
            var message = Discovery.Message(entity);
            Assert.True(message.Retain);
            Assert.Equal($"homeassistant/{entity.Component}/lightnvr/{entity.ObjectId}/config", message.Topic);
            var config = JsonDocument.Parse(message.PayloadText).RootElement;
            Assert.Equal($"lightnvr_{entity.ObjectId}", config.GetProperty("unique_id").GetString());
            Assert.Equal("lightnvr/availability", config.GetProperty("availability_topic").GetString());
            var device = config.GetProperty("device");
            Assert.Equal("lightnvr_front_door", device.GetProperty("identifiers")[0].GetString());
            Assert.Equal("front.door", device.GetProperty("name").GetString());
        }

        var camera = JsonDocument.Parse(Discovery.Message(entities[0]).PayloadText).RootElement;
        Assert.Equal("lightnvr/front.door/snapshot", camera.GetProperty("topic").GetString());
        var recording = JsonDocument.Parse(Discovery.Message(entities[8]).PayloadText).RootElement;
        Assert.Equal("lightnvr/front.door/recording/state", recording.GetProperty("state_topic").GetString());
        Assert.Equal("lightnvr/front.door/recording/set", recording.GetProperty("command_topic").GetString());
        var occupancy = JsonDocument.Parse(Discovery.Message(entities[3]).PayloadText).RootElement;
        Assert.Equal("lightnvr/front.door/objects/person", occupancy.GetProperty("state_topic").GetString());
        Assert.Equal("occupancy", occupancy.GetProperty("device_class").GetString());
    }

    [Fact]
    public void Removal_is_an_empty_retained_config_on_the_same_topic()
    {
        var entity = Discovery.Camera("door", []).First();
        var removal = Discovery.Removal(entity);
        Assert.Equal(Discovery.Message(entity).Topic, removal.Topic);
        Assert.True(removal.Retain);
        Assert.True(removal.Payload.IsEmpty);
        Assert.True(removal.QueueWhileAway); // a removal must reach the broker even after an outage
    }

    [Fact]
    public void The_nvr_device_reads_disk_and_version_from_the_system_topic()
    {
        var nvr = Discovery.Nvr().Select(e => JsonDocument.Parse(Discovery.Message(e).PayloadText).RootElement).ToList();
        Assert.All(nvr, c => Assert.Equal("lightnvr/system", c.GetProperty("state_topic").GetString()));
        Assert.Equal("1.2.3", nvr[0].GetProperty("device").GetProperty("sw_version").GetString());
        Assert.Equal("{{ value_json.disk_free_bytes }}", nvr[0].GetProperty("value_template").GetString());
    }
}
