using System.Text.Json;
using LightNvr.Interop.Tests.Server;
using LightNvr.Interop.Tests.Support;
using Xunit.Abstractions;
using static LightNvr.Interop.Tests.Integrations.MqttInterop;

namespace LightNvr.Interop.Tests.Integrations;

/// <summary>
/// The MQTT bridge of the real server process against a real mosquitto broker, every message checked by
/// <c>mosquitto_sub</c> as an independent client (docs/integrations.md): Home Assistant discovery, a camera event's
/// start and end, motion and object counts, the event picture, the recording switch acting through MQTT, entity
/// removal with the stream, and the last will when the server dies.
/// </summary>
[Collection("recording")]
public sealed class MqttBridgeInteropTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> Users = new() { ["nvr"] = "nvr-pass", ["checker"] = "check-pass" };
    private static readonly string[] Checker = ["-u", "checker", "-P", "check-pass"];

    [Fact]
    public async Task Discovery_events_switch_and_removal_arrive_as_documented()
    {
        using var broker = Mosquitto.Create(Users);
        using var sub = new MosquittoSub(broker.Port, ["lightnvr/#", "homeassistant/#"], [.. Checker, "-T", "lightnvr/+/snapshot"]);
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "none", Fps = 15, Gop = 15 });
        using var server = ServerProcess.Start(Ini(broker.Port, """
            username = nvr
            password = nvr-pass
            ha_discovery = true
            command_user = admin
            """));
        using var http = await StartAsync(server);
        await AddStreamAsync(http, "door", camera.Url, ""","record":true""");
        string Context() => "\nserver log:\n" + Log(server) + "\nbroker log:\n" + broker.Log;

        // Discovery: retained configs for the camera's device, tied to the availability topic.
        var switchConfig = await sub.WaitForAsync(l => l.Topic == "homeassistant/switch/nvr-test/door_recording/config", "recording switch config",
            context: Context);
        var sw = JsonDocument.Parse(switchConfig.Payload).RootElement;
        Assert.Equal("lightnvr/door/recording/set", sw.GetProperty("command_topic").GetString());
        Assert.Equal("lightnvr/door/recording/state", sw.GetProperty("state_topic").GetString());
        Assert.Equal("lightnvr/availability", sw.GetProperty("availability_topic").GetString());
        Assert.Equal("nvr-test_door", sw.GetProperty("device").GetProperty("identifiers")[0].GetString());
        var cam = JsonDocument.Parse((await sub.WaitForAsync(l => l.Topic == "homeassistant/camera/nvr-test/door_camera/config", "camera config"))
            .Payload).RootElement;
        Assert.Equal("lightnvr/door/snapshot", cam.GetProperty("topic").GetString());
        await sub.WaitForAsync(l => l.Topic == "homeassistant/binary_sensor/nvr-test/door_motion/config", "motion config");
        await sub.WaitForAsync(l => l.Topic == "homeassistant/sensor/nvr-test/nvr_disk_free/config", "NVR disk sensor config");
        await sub.WaitForAsync(l => l.Topic == "lightnvr/availability" && l.Payload == "online", "availability online");
        await sub.WaitForAsync(l => l.Topic == "lightnvr/door/recording/state" && l.Payload == "ON", "recording state ON");
        await sub.WaitForAsync(l => l.Topic == "lightnvr/door/online" && l.Payload == "ON", "camera online", context: Context);
        var system = JsonDocument.Parse((await sub.WaitForAsync(l => l.Topic == "lightnvr/system", "system state")).Payload).RootElement;
        Assert.True(system.GetProperty("disk_free_bytes").GetInt64() > 0);
        Assert.False(string.IsNullOrEmpty(system.GetProperty("version").GetString()));

        // A camera event: start (motion ON, upstream's detection message), end (motion OFF), exactly once each.
        await TriggerAsync(http, """{"stream":"door","action":"pulse","duration_ms":500}""");
        var startLine = await sub.WaitForAsync(l => IsEvent(l, "start", "door", "motion"), "event start");
        var (_, start) = Parse(startLine);
        var id = start.GetProperty("id").GetInt64();
        Assert.Equal("external", start.GetProperty("source").GetString());
        Assert.True(start.GetProperty("active").GetBoolean());
        Assert.Equal(JsonValueKind.Null, start.GetProperty("end_time").ValueKind);
        Assert.Equal(1, startLine.Qos);
        await sub.WaitForAsync(l => l.Topic == "lightnvr/door/motion" && l.Payload == "ON", "motion ON");
        var upstream = JsonDocument.Parse((await sub.WaitForAsync(l => l.Topic == "lightnvr/detections/door", "upstream detection")).Payload).RootElement;
        Assert.Equal("door", upstream.GetProperty("stream").GetString());
        Assert.Equal("motion", upstream.GetProperty("detections")[0].GetProperty("label").GetString());
        var endLine = await sub.WaitForAsync(l => IsEvent(l, "end", "door", id: id), "event end");
        var (_, end) = Parse(endLine);
        Assert.False(end.GetProperty("active").GetBoolean());
        Assert.True(end.GetProperty("end_time").GetInt64() >= start.GetProperty("start_time").GetInt64());
        await sub.WaitForAsync(l => l.Topic == "lightnvr/door/motion" && l.Payload == "OFF", "motion OFF");
        var lines = sub.Lines.ToList();
        Assert.True(lines.IndexOf(startLine) < lines.IndexOf(endLine));
        Assert.Single(lines, l => IsEvent(l, "end", "door", id: id));

        // The event's picture (retained JPEG on the snapshot topic).
        await sub.WaitForAsync(l => IsEvent(l, "update", "door", id: id) && Parse(l).Event.GetProperty("snapshot").ValueKind == JsonValueKind.String
            || IsEvent(l, "end", "door", id: id) && Parse(l).Event.GetProperty("snapshot").ValueKind == JsonValueKind.String, "event snapshot URL");
        var jpeg = await ReadBinaryAsync(broker.Port, "lightnvr/door/snapshot", Checker);
        Assert.True(jpeg.Length > 1000 && jpeg[0] == 0xFF && jpeg[1] == 0xD8, $"{jpeg.Length} bytes");

        // An object label: its entities appear, its count goes 1 then 0.
        await TriggerAsync(http, """{"stream":"door","action":"pulse","duration_ms":300,"objects":["person"]}""");
        await sub.WaitForAsync(l => l.Topic == "homeassistant/binary_sensor/nvr-test/door_person_occupancy/config", "person occupancy config");
        await sub.WaitForAsync(l => l.Topic == "lightnvr/door/objects/person" && l.Payload == "1", "person count 1");
        await sub.WaitForAsync(l => l.Topic == "lightnvr/door/objects/person" && l.Payload == "0", "person count 0");

        // The recording switch acts: OFF over MQTT turns the stream's recording off as the API would, ON turns it back on.
        Publish(broker.Port, "lightnvr/door/recording/set", "OFF", Checker);
        await WaitForAsync(server, async () => (await Record(http)) == false, "record false after MQTT OFF");
        await sub.WaitForAsync(l => l.Topic == "lightnvr/door/recording/state" && l.Payload == "OFF", "recording state OFF");
        Publish(broker.Port, "lightnvr/door/recording/set", "ON", Checker);
        await WaitForAsync(server, async () => (await Record(http)) == true, "record true after MQTT ON");
        // Twice ON in all (before OFF and after ON), not more: a done command's state is published once.
        Assert.Equal(2, await sub.WaitForCountAsync(l => l.Topic == "lightnvr/door/recording/state" && l.Payload == "ON", 2, "recording ON states"));

        // A client that comes later gets discovery and states as retained messages; Home Assistant's birth message
        // ("online" on homeassistant/status, after it restarts) makes the server send discovery again.
        using (var late = new MosquittoSub(broker.Port, ["homeassistant/switch/#", "lightnvr/door/recording/state"], Checker))
        {
            var retained = await late.WaitForAsync(l => l.Topic == "homeassistant/switch/nvr-test/door_recording/config", "retained config");
            Assert.True(retained.Retained);
            Assert.True((await late.WaitForAsync(l => l.Topic == "lightnvr/door/recording/state", "retained state")).Retained);
            Assert.Equal("ON", late.Lines.Single(l => l.Topic == "lightnvr/door/recording/state").Payload);
        }
        var configs = sub.Lines.Count(l => l.Topic == "homeassistant/switch/nvr-test/door_recording/config");
        Publish(broker.Port, "homeassistant/status", "online", Checker);
        await sub.WaitForCountAsync(l => l.Topic == "homeassistant/switch/nvr-test/door_recording/config", configs + 1, "discovery after HA's birth");

        // Deleting the stream removes its entities: empty retained configs.
        using (var deleted = await http.DeleteAsync("/api/streams/door?permanent=true"))
        {
            Assert.True(deleted.IsSuccessStatusCode);
        }
        foreach (var topic in (string[])["homeassistant/switch/nvr-test/door_recording/config", "homeassistant/camera/nvr-test/door_camera/config",
            "homeassistant/binary_sensor/nvr-test/door_person_occupancy/config"])
        {
            await sub.WaitForAsync(l => l.Topic == topic && l.Payload.Length == 0, "removal of " + topic);
        }
        var onlineCount = sub.Lines.Count(l => l.Topic == "lightnvr/availability");

        // The last will: the server dies without a goodbye, the broker says offline (retained).
        server.Process.Kill();
        server.WaitForExit(TimeSpan.FromSeconds(10));
        await sub.WaitForAsync(l => l.Topic == "lightnvr/availability" && l.Payload == "offline", "last will offline");
        Assert.Equal(onlineCount + 1, sub.Lines.Count(l => l.Topic == "lightnvr/availability"));
        output.WriteLine($"{sub.Lines.Count} messages seen by mosquitto_sub");
    }

    private static async Task<bool?> Record(HttpClient http) =>
        JsonDocument.Parse(await http.GetStringAsync("/api/streams/door")).RootElement.GetProperty("record").GetBoolean();
}
