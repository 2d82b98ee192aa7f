using System.Text.Json;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Events;
using LightNvr.Integrations.Mqtt;

namespace LightNvr.Tests.Integrations;

/// <summary>Topic names, command parsing, event payloads and the open-event bookkeeping behind motion and counts.</summary>
public sealed class MqttTopicsTests
{
    private static readonly MqttTopics Topics = new("lightnvr", "homeassistant", "light.nvr");

    private static EventRecord Event(long id, string stream = "door", string label = "person", long? end = null, string? snapshot = null) => new()
    {
        Id = id, StreamName = stream, Source = "object", Label = label, Confidence = 0.87654, X = 0.1, Y = 0.2, Width = 0.3, Height = 0.4,
        Zone = "porch", StartTime = 1_700_000_000, EndTime = end, LastSeen = 1_700_000_003, SnapshotPath = snapshot, RecordingId = 42,
    };

    [Fact]
    public void Topics_follow_the_documented_layout()
    {
        Assert.Equal("lightnvr/availability", Topics.Availability);
        Assert.Equal("lightnvr/events", Topics.Events);
        Assert.Equal("lightnvr/detections/door", Topics.Detections("door"));
        Assert.Equal("lightnvr/door/snapshot", Topics.Snapshot("door"));
        Assert.Equal("lightnvr/door/motion", Topics.Motion("door"));
        Assert.Equal("lightnvr/door/objects/person", Topics.Objects("door", "person"));
        Assert.Equal("lightnvr/door/objects/a_b_c_d", Topics.Objects("door", "a/b+c#d"));
        Assert.Equal("lightnvr/door/recording/state", Topics.SwitchState("door", "recording"));
        Assert.Equal("lightnvr/door/recording/set", Topics.SwitchCommand("door", "recording"));
        Assert.Equal("lightnvr/+/detection/set", Topics.SwitchCommandFilter("detection"));
        Assert.Equal("homeassistant/switch/light_nvr/door_recording/config", Topics.DiscoveryConfig("switch", "door_recording"));
        Assert.Equal("homeassistant/status", Topics.HomeAssistantStatus);
    }

    [Theory]
    [InlineData("lightnvr/door/recording/set", true, "door", "recording")]
    [InlineData("lightnvr/cam.1/detection/set", true, "cam.1", "detection")]
    [InlineData("lightnvr/door/privacy/set", false, "", "")]
    [InlineData("lightnvr/door/recording/state", false, "", "")]
    [InlineData("lightnvr/a/b/recording/set", false, "", "")]
    [InlineData("other/door/recording/set", false, "", "")]
    [InlineData("lightnvr//recording/set", false, "", "")]
    public void Command_topics_name_a_stream_and_a_known_switch(string topic, bool ok, string stream, string name)
    {
        Assert.Equal(ok, Topics.TryParseCommand(topic, out var s, out var n));
        Assert.Equal(stream, s);
        Assert.Equal(name, n);
    }

    [Theory]
    [InlineData("lightnvr", null)]
    [InlineData("home/nvr", null)]
    [InlineData("", "must not be empty")]
    [InlineData("a/#", "must not contain '+', '#' or control characters")]
    [InlineData("a+b", "must not contain '+', '#' or control characters")]
    [InlineData("/lightnvr", "must not start or end with '/' or hold an empty level")]
    [InlineData("a//b", "must not start or end with '/' or hold an empty level")]
    public void Prefixes_with_wildcards_or_empty_levels_are_refused(string prefix, string? problem) =>
        Assert.Equal(problem, MqttTopicRule.Problem(prefix));

    [Fact]
    public void A_start_publishes_the_event_object_and_upstreams_detection_message()
    {
        var messages = MqttEventMessages.For(new EventChange(EventChangeKind.Start, Event(7, snapshot: "/x/snapshots/door/event_7.jpg"),
            ObservationSource.Object), Topics, qos: 2, retain: true).ToList();
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.True(m.Qos == 2 && m.Retain && m.QueueWhileAway));

        Assert.Equal("lightnvr/events", messages[0].Topic);
        var e = JsonDocument.Parse(messages[0].PayloadText).RootElement;
        Assert.Equal("start", e.GetProperty("type").GetString());
        var ev = e.GetProperty("event");
        Assert.Equal(7, ev.GetProperty("id").GetInt64());
        Assert.Equal("door", ev.GetProperty("stream").GetString());
        Assert.Equal("person", ev.GetProperty("label").GetString());
        Assert.Equal(0.8765, ev.GetProperty("confidence").GetDouble());
        Assert.Equal("porch", ev.GetProperty("zone").GetString());
        Assert.Equal(0.3, ev.GetProperty("box").GetProperty("width").GetDouble());
        Assert.Equal("/api/snapshots/door/event_7.jpg", ev.GetProperty("snapshot").GetString());
        Assert.Equal(42, ev.GetProperty("recording_id").GetInt64());
        Assert.True(ev.GetProperty("active").GetBoolean());

        Assert.Equal("lightnvr/detections/door", messages[1].Topic);
        var up = JsonDocument.Parse(messages[1].PayloadText).RootElement;
        Assert.Equal("door", up.GetProperty("stream").GetString());
        Assert.Equal(1_700_000_000, up.GetProperty("timestamp").GetInt64());
        Assert.Equal(1, up.GetProperty("count").GetInt32());
        Assert.Equal("lightnvr/door/snapshot", up.GetProperty("snapshot_topic").GetString());
        var d = up.GetProperty("detections")[0];
        Assert.Equal("person", d.GetProperty("label").GetString());
        Assert.Equal(0.2, d.GetProperty("y").GetDouble());
        Assert.Equal("porch", d.GetProperty("zone_id").GetString());
    }

    [Fact]
    public void An_end_publishes_only_the_event_object_with_its_end_time()
    {
        var messages = MqttEventMessages.For(new EventChange(EventChangeKind.End, Event(7, end: 1_700_000_005), ObservationSource.Object),
            Topics, qos: 1, retain: false).ToList();
        var only = Assert.Single(messages);
        var e = JsonDocument.Parse(only.PayloadText).RootElement;
        Assert.Equal("end", e.GetProperty("type").GetString());
        Assert.Equal(1_700_000_005, e.GetProperty("event").GetProperty("end_time").GetInt64());
        Assert.False(e.GetProperty("event").GetProperty("active").GetBoolean());
        Assert.False(only.Retain);
    }

    [Fact]
    public void Motion_is_on_while_a_motion_event_is_open_and_labels_count_their_open_events()
    {
        var activity = new StreamActivity();
        var m1 = activity.Apply(new EventChange(EventChangeKind.Start, Event(1, label: "motion"), ObservationSource.Motion));
        Assert.True(m1.Motion);
        Assert.Null(m1.CountedLabel);
        Assert.True(activity.Motion("door"));
        Assert.False(activity.Motion("yard"));

        var p1 = activity.Apply(new EventChange(EventChangeKind.Start, Event(2), ObservationSource.Object));
        Assert.Equal("person", p1.CountedLabel);
        Assert.True(p1.NewLabel);
        var p2 = activity.Apply(new EventChange(EventChangeKind.Start, Event(3, label: "person"), ObservationSource.Object));
        Assert.False(p2.NewLabel);
        Assert.Equal(2, activity.Count("door", "person"));
        var update = activity.Apply(new EventChange(EventChangeKind.Update, Event(3), ObservationSource.Object));
        Assert.Equal(new StreamActivity.Change(false, null, false), update);

        activity.Apply(new EventChange(EventChangeKind.End, Event(2, end: 1), ObservationSource.Object));
        Assert.Equal(1, activity.Count("door", "person"));
        var off = activity.Apply(new EventChange(EventChangeKind.End, Event(1, label: "motion", end: 1), ObservationSource.Motion));
        Assert.True(off.Motion);
        Assert.False(activity.Motion("door"));
        Assert.Equal(["person"], activity.Labels("door"));

        activity.Forget("door");
        Assert.Empty(activity.Labels("door"));
        Assert.Equal(0, activity.Count("door", "person"));
    }

    [Fact]
    public void Protocol_version_and_the_last_will_come_from_the_options()
    {
        var options = new MqttOptions { BrokerHost = "broker", BrokerPort = 1884, ClientId = "nvr1", ProtocolVersion = "5", Keepalive = 0,
            Username = "u", Password = "p" };
        var built = MqttConnectOptions.Build(options, Topics, null);
        Assert.Equal(MQTTnet.Formatter.MqttProtocolVersion.V500, built.ProtocolVersion);
        Assert.Equal("nvr1", built.ClientId);
        Assert.Equal("lightnvr/availability", built.WillTopic);
        Assert.Equal("offline", System.Text.Encoding.UTF8.GetString(built.WillPayload));
        Assert.True(built.WillRetain);
        Assert.Equal(TimeSpan.Zero, built.KeepAlivePeriod);
        Assert.Equal("u", built.Credentials.GetUserName(built));
        Assert.Equal(MQTTnet.Formatter.MqttProtocolVersion.V311, MqttConnectOptions.Build(new MqttOptions { BrokerHost = "b" }, Topics, null).ProtocolVersion);
    }
}
