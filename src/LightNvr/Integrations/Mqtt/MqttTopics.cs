using System.Text;

namespace LightNvr.Integrations.Mqtt;

/// <summary>
/// Every topic the bridge publishes or subscribes to (docs/integrations.md lists them with payloads). Stream names are
/// topic-safe already (<c>[A-Za-z0-9._-]</c>, the stream API's rule); labels come from detectors and triggers and are
/// reduced to <see cref="Segment"/>. Home Assistant object ids allow only <c>[A-Za-z0-9_-]</c> (<see cref="ObjectId"/>).
/// </summary>
public sealed class MqttTopics(string prefix, string discoveryPrefix, string clientId)
{
    /// <summary>Longest label segment: the event API keeps labels of at most 64 characters (MotionTriggerEndpoints).</summary>
    public const int MaxSegmentLength = 64;

    /// <summary>The switches a command topic may name.</summary>
    public const string RecordingSwitch = "recording", DetectionSwitch = "detection";

    public string Prefix => prefix;

    public string DiscoveryPrefix => discoveryPrefix;

    /// <summary>The Home Assistant node id: the client id as an object id, so two NVRs on one broker stay apart.</summary>
    public string NodeId { get; } = ObjectId(clientId);

    /// <summary><c>online</c> on connect, <c>offline</c> as the last will and on a clean stop; retained.</summary>
    public string Availability => $"{prefix}/availability";

    /// <summary>Every event change: <c>{"type":"start|update|end","event":{…}}</c>.</summary>
    public string Events => $"{prefix}/events";

    /// <summary>Upstream LightNVR's detection message (MQTT_INTEGRATION.md), at an event's start.</summary>
    public string Detections(string stream) => $"{prefix}/detections/{stream}";

    public string System => $"{prefix}/system";

    public string Snapshot(string stream) => $"{prefix}/{stream}/snapshot";

    public string Online(string stream) => $"{prefix}/{stream}/online";

    public string Motion(string stream) => $"{prefix}/{stream}/motion";

    public string Objects(string stream, string label) => $"{prefix}/{stream}/objects/{Segment(label)}";

    public string Storage(string stream) => $"{prefix}/{stream}/storage";

    public string SwitchState(string stream, string name) => $"{prefix}/{stream}/{name}/state";

    public string SwitchCommand(string stream, string name) => $"{prefix}/{stream}/{name}/set";

    /// <summary>The subscription for one switch's commands on every stream.</summary>
    public string SwitchCommandFilter(string name) => $"{prefix}/+/{name}/set";

    /// <summary>Home Assistant's birth message (<c>online</c> after it restarts): discovery is sent again.</summary>
    public string HomeAssistantStatus => $"{discoveryPrefix}/status";

    /// <summary><c>&lt;discovery&gt;/&lt;component&gt;/&lt;node&gt;/&lt;object&gt;/config</c>.</summary>
    public string DiscoveryConfig(string component, string objectId) => $"{discoveryPrefix}/{component}/{NodeId}/{objectId}/config";

    /// <summary>A command topic's stream and switch, or false when the topic is not <c>&lt;prefix&gt;/&lt;stream&gt;/&lt;switch&gt;/set</c>.</summary>
    public bool TryParseCommand(string topic, out string stream, out string name)
    {
        stream = name = "";
        if (!topic.StartsWith(prefix + "/", StringComparison.Ordinal) || !topic.EndsWith("/set", StringComparison.Ordinal))
        {
            return false;
        }
        var middle = topic[(prefix.Length + 1)..^"/set".Length].Split('/');
        if (middle.Length != 2 || middle[0].Length == 0 || middle[1] is not (RecordingSwitch or DetectionSwitch))
        {
            return false;
        }
        (stream, name) = (middle[0], middle[1]);
        return true;
    }

    /// <summary>A label as one topic level: <c>[A-Za-z0-9._-]</c> kept, anything else (<c>/ + #</c>, spaces) as <c>_</c>.</summary>
    public static string Segment(string label)
    {
        var text = label.Length > MaxSegmentLength ? label[..MaxSegmentLength] : label;
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        }
        return sb.Length == 0 ? "_" : sb.ToString();
    }

    /// <summary>Home Assistant's object id alphabet: <c>[A-Za-z0-9_-]</c>, anything else as <c>_</c>.</summary>
    public static string ObjectId(string text) => Segment(text).Replace('.', '_');
}
