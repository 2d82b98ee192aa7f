using System.Globalization;
using System.Text.Json.Nodes;
using LightNvr.Data;
using LightNvr.Health;
using LightNvr.IO;

namespace LightNvr.Integrations.Mqtt;

/// <summary>
/// States: per stream <c>online</c>, <c>recording/state</c>, <c>detection/state</c>, <c>motion</c>, <c>objects/&lt;label&gt;</c>
/// and <c>storage</c>; <c>system</c> for the NVR. All retained, QoS 1, published when they change (checked every
/// <see cref="StateInterval"/>; events change motion and counts at once) and all of them on every connection (the
/// greeting). Pictures: a live JPEG per running camera every <c>ha_snapshot_interval</c> seconds, and each event's
/// snapshot when it is taken, on <c>&lt;prefix&gt;/&lt;stream&gt;/snapshot</c> (retained, QoS 0).
/// </summary>
public sealed partial class MqttBridge
{
    /// <summary>How often stream states are compared with the last published (in memory, plus one read of the streams table).</summary>
    public static readonly TimeSpan StateInterval = TimeSpan.FromSeconds(2);

    /// <summary>How often the system state and per-stream storage are published (a SUM per stream; disk space moves slowly).</summary>
    public static readonly TimeSpan SystemInterval = TimeSpan.FromSeconds(60);

    private readonly Dictionary<string, long> _storageBytes = new(StringComparer.Ordinal);

    private async Task<IReadOnlyList<MqttMessage>> GreetingAsync(CancellationToken ct)
    {
        _lastState.Clear();
        var messages = new List<MqttMessage>();
        var streams = await _streams.ListAsync(ct).ConfigureAwait(false);
        if (_options.HaDiscovery)
        {
            messages.AddRange(_discovery.Nvr().Select(_discovery.Message));
            foreach (var stream in streams)
            {
                RememberFilterLabels(stream);
                messages.AddRange(_discovery.Camera(stream.Name, _activity.Labels(stream.Name)).Select(_discovery.Message));
            }
        }
        foreach (var stream in streams)
        {
            foreach (var (topic, payload) in StreamStates(stream))
            {
                _lastState[topic] = payload;
                messages.Add(MqttMessage.State(topic, payload));
            }
        }
        messages.Add(SystemState(streams.Count));
        return messages;
    }

    private async Task StateLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(StateInterval, _time);
        var nextSystem = _time.GetUtcNow();
        var nextPictures = _time.GetUtcNow();
        try
        {
            do
            {
                if (!_connection.IsConnected)
                {
                    continue;
                }
                try
                {
                    var streams = await _streams.ListAsync(ct).ConfigureAwait(false);
                    var now = _time.GetUtcNow();
                    if (now >= nextSystem)
                    {
                        nextSystem = now + SystemInterval;
                        await RefreshStorageAsync(streams, ct).ConfigureAwait(false);
                        _outbox.Enqueue(SystemState(streams.Count));
                    }
                    foreach (var stream in streams)
                    {
                        PublishStreamState(stream);
                    }
                    if (_options.HaDiscovery && _options.HaSnapshotInterval > 0 && now >= nextPictures)
                    {
                        nextPictures = now + TimeSpan.FromSeconds(_options.HaSnapshotInterval);
                        await PublishLivePicturesAsync(ct).ConfigureAwait(false);
                    }
                }
#pragma warning disable CA1031 // a database hiccup skips one round of states
                catch (Exception e) when (!ct.IsCancellationRequested)
#pragma warning restore CA1031
                {
                    LogStateFailed(e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>The stream's states as (topic, payload): online, switches, motion, object counts, storage when known.</summary>
    private IEnumerable<(string Topic, string Payload)> StreamStates(StreamConfig stream)
    {
        var name = stream.Name;
        // The stream JSON's status (IStreamStatusProvider); Stopped is a stream recorded on demand with nobody watching
        // (idle, not broken: /api/health calls it up too). A disabled stream is offline.
        var online = stream.Enabled && _status.GetStatus(name).State is "Running" or "Stopped";
        yield return (_topics.Online(name), OnOff(online));
        yield return (_topics.SwitchState(name, MqttTopics.RecordingSwitch), OnOff(stream.Record));
        yield return (_topics.SwitchState(name, MqttTopics.DetectionSwitch), OnOff(stream.DetectionBasedRecording));
        yield return (_topics.Motion(name), OnOff(_activity.Motion(name)));
        foreach (var label in _activity.Labels(name))
        {
            yield return (_topics.Objects(name, label), _activity.Count(name, label).ToString(CultureInfo.InvariantCulture));
        }
        long? bytes;
        lock (_storageBytes)
        {
            bytes = _storageBytes.TryGetValue(name, out var b) ? b : null;
        }
        if (bytes is { } used)
        {
            yield return (_topics.Storage(name), used.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Every retained state topic of a stream (cleared when it is deleted).</summary>
    private IEnumerable<string> StateTopics(string stream, IReadOnlyList<string> labels) =>
        [_topics.Online(stream), _topics.SwitchState(stream, MqttTopics.RecordingSwitch), _topics.SwitchState(stream, MqttTopics.DetectionSwitch),
         _topics.Motion(stream), _topics.Storage(stream), .. labels.Select(l => _topics.Objects(stream, l))];

    private void PublishStreamState(StreamConfig stream)
    {
        foreach (var (topic, payload) in StreamStates(stream))
        {
            PublishState(topic, payload);
        }
    }

    private void PublishState(MqttMessage message) => PublishState(message.Topic, message.PayloadText);

    /// <summary>Publishes a retained state when it differs from the last one sent; while away it is only remembered
    /// (the next connection's greeting sends every state).</summary>
    private void PublishState(string topic, string payload)
    {
        if (_lastState.TryGetValue(topic, out var last) && last == payload)
        {
            return;
        }
        _lastState[topic] = payload;
        if (_connection.IsConnected)
        {
            _outbox.Enqueue(MqttMessage.State(topic, payload));
        }
    }

    /// <summary><c>{"version","uptime_seconds","disk_free_bytes","disk_total_bytes","disk_free_pct","pressure","streams","mqtt_dropped"}</c>.</summary>
    private MqttMessage SystemState(int streams)
    {
        var disk = DiskSpace.Of(_storagePath);
        var health = _storage.Health();
        var body = new JsonObject
        {
            ["version"] = ServerInfo.Version,
            ["uptime_seconds"] = (long)_uptime.Uptime.TotalSeconds,
            ["disk_free_bytes"] = disk?.Free ?? 0,
            ["disk_total_bytes"] = disk?.Total ?? 0,
            ["disk_free_pct"] = Math.Round(health.FreeSpacePct, 1),
            ["pressure"] = health.PressureLevel.ToString().ToLowerInvariant(),
            ["streams"] = streams,
            ["mqtt_dropped"] = _outbox.Dropped,
        };
        return MqttMessage.State(_topics.System, body.ToJsonString());
    }

    private async Task RefreshStorageAsync(IReadOnlyList<StreamConfig> streams, CancellationToken ct)
    {
        foreach (var stream in streams)
        {
            var used = await _usage.UsedBytesAsync(stream.Name, ct).ConfigureAwait(false);
            lock (_storageBytes)
            {
                _storageBytes[stream.Name] = used;
            }
        }
    }

    private async Task PublishLivePicturesAsync(CancellationToken ct)
    {
        foreach (var camera in _cameras.Cameras)
        {
            if (camera.Status.State != "Running")
            {
                continue;
            }
            var jpeg = await _snapshots.GetAsync(camera, null, null, null).WaitAsync(ct).ConfigureAwait(false);
            if (jpeg is not null && _connection.IsConnected)
            {
                _outbox.Enqueue(new MqttMessage(_topics.Snapshot(camera.Name), jpeg, 0, Retain: true, QueueWhileAway: false));
            }
        }
    }

    private async Task PublishSnapshotFileAsync(string stream, string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length > MaxSnapshotBytes)
            {
                return;
            }
            var jpeg = await File.ReadAllBytesAsync(path, _stopping.Token).ConfigureAwait(false);
            if (_connection.IsConnected)
            {
                _outbox.Enqueue(new MqttMessage(_topics.Snapshot(stream), jpeg, 0, Retain: true, QueueWhileAway: false));
            }
        }
#pragma warning disable CA1031 // a missing picture is not an error of the event
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogStateFailed(e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "MQTT: state round failed: {Reason}")]
    private partial void LogStateFailed(string reason);
}
