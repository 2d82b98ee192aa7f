using System.Collections.Concurrent;
using System.Threading.Channels;
using LightNvr.Cameras;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Events;
using LightNvr.Health;
using LightNvr.Live;
using LightNvr.Storage;

namespace LightNvr.Integrations.Mqtt;

/// <summary>
/// The NVR on MQTT (docs/integrations.md): event changes from the event spine (<see cref="IEventConsumer"/>), stream
/// changes (<see cref="IStreamChangeListener"/>), stream and system state, pictures, Home Assistant discovery, and the
/// switches' commands. Made only when <c>[mqtt] enabled</c>. <see cref="OnEvent"/> builds a few small messages and puts
/// them into the bounded <see cref="MqttOutbox"/>; everything that waits (the broker, files, the database) runs on
/// the bridge's own tasks, so a broker that is away never holds the event loop, recording or the API.
/// </summary>
public sealed partial class MqttBridge : IEventConsumer, IStreamChangeListener, IAsyncDisposable
{
    /// <summary>Commands waiting at most: a burst of switch flips from an automation; beyond it commands are dropped (counted).</summary>
    public const int MaxQueuedCommands = 64;

    /// <summary>How long a clean stop may take to send what is queued before it publishes <c>offline</c>.</summary>
    public static readonly TimeSpan MaxFlushTime = TimeSpan.FromSeconds(3);

    /// <summary>Event snapshots read at most (the API's snapshots are a few hundred KB; MQTT brokers default to 256 MB but HA's camera expects small).</summary>
    public const int MaxSnapshotBytes = 4 * 1024 * 1024;

    private readonly MqttOptions _options;
    private readonly MqttTopics _topics;
    private readonly HomeAssistantDiscovery _discovery;
    private readonly StreamActivity _activity = new();
    private readonly MqttOutbox _outbox;
    private readonly MqttConnection _connection;
    private readonly MqttCommands _commands;
    private readonly StreamStore _streams;
    private readonly CameraService _cameras;
    private readonly IStreamStatusProvider _status;
    private readonly SnapshotService _snapshots;
    private readonly StorageService _storage;
    private readonly RetentionStore _usage;
    private readonly string _storagePath;
    private readonly ServerInfo _uptime;
    private readonly TimeProvider _time;
    private readonly ILogger<MqttBridge> _logger;
    private readonly Channel<(string Topic, string Payload)> _received = Channel.CreateBounded<(string, string)>(
        new BoundedChannelOptions(MaxQueuedCommands) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly ConcurrentDictionary<long, byte> _snapshotSent = new();
    private readonly ConcurrentDictionary<string, string> _lastState = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private Task _tasks = Task.CompletedTask;
    private long _droppedCommands;

    public MqttBridge(ConfigSection<MqttOptions> mqtt, ConfigSection<StorageOptions> storageOptions, EventService events,
        StreamStore streams, CameraService cameras, IStreamStatusProvider status, SnapshotService snapshots,
        StorageService storage, RetentionStore usage, MqttCommands commands, ServerInfo uptime, TimeProvider time, ILogger<MqttBridge> logger)
    {
        _options = mqtt.Current;
        _storagePath = storageOptions.Current.Path;
        _topics = new MqttTopics(_options.TopicPrefix, _options.HaDiscoveryPrefix, _options.ClientId);
        _discovery = new HomeAssistantDiscovery(_topics, ServerInfo.Version);
        _outbox = new MqttOutbox();
        _streams = streams;
        _cameras = cameras;
        _status = status;
        _snapshots = snapshots;
        _storage = storage;
        _usage = usage;
        _commands = commands;
        _uptime = uptime;
        _time = time;
        _logger = logger;
        MqttCaTrust? trust = null;
        if (_options.TlsEnabled && _options.CaFile.Length > 0)
        {
            trust = MqttCaTrust.Load(_options.CaFile); // unreadable: start-up fails naming the file (a config error)
        }
        _connection = new MqttConnection($"{_options.BrokerHost}:{_options.BrokerPort}", MqttConnectOptions.Build(_options, _topics, trust),
            _topics, _outbox, GreetingAsync, OnReceived, time, logger);
        events.Subscribe(this);
    }

    public MqttTopics Topics => _topics;

    public MqttOutbox Outbox => _outbox;

    public MqttConnection Connection => _connection;

    /// <summary>Commands dropped because <see cref="MaxQueuedCommands"/> were waiting.</summary>
    public long DroppedCommands => Interlocked.Read(ref _droppedCommands);

    public void Start()
    {
        _connection.Start();
        _tasks = Task.WhenAll(Task.Run(() => CommandLoopAsync(_stopping.Token)), Task.Run(() => StateLoopAsync(_stopping.Token)));
    }

    public void OnEvent(EventChange change)
    {
        foreach (var message in MqttEventMessages.For(change, _topics, _options.Qos, _options.Retain))
        {
            _outbox.Enqueue(message);
        }
        var e = change.Event;
        var changed = _activity.Apply(change);
        if (changed.Motion)
        {
            PublishState(_topics.Motion(e.StreamName), OnOff(_activity.Motion(e.StreamName)));
        }
        if (changed.NewLabel && _options.HaDiscovery)
        {
            foreach (var entity in _discovery.Label(e.StreamName, e.Label))
            {
                PublishState(_discovery.Message(entity));
            }
        }
        if (changed.CountedLabel is { } label)
        {
            PublishState(_topics.Objects(e.StreamName, label), _activity.Count(e.StreamName, label).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (change.Kind == EventChangeKind.End)
        {
            _snapshotSent.TryRemove(e.Id, out _);
        }
        else if (e.SnapshotPath is { Length: > 0 } path && _snapshotSent.TryAdd(e.Id, 0))
        {
            _ = Task.Run(() => PublishSnapshotFileAsync(e.StreamName, path));
        }
    }

    /// <summary>The event spine stops first at shutdown; the outbox is flushed by <see cref="StopAsync(CancellationToken)"/> later.</summary>
    Task IEventConsumer.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task OnStreamAddedAsync(StreamConfig stream, CancellationToken cancellationToken)
    {
        RememberFilterLabels(stream);
        if (_options.HaDiscovery)
        {
            foreach (var entity in _discovery.Camera(stream.Name, _activity.Labels(stream.Name)))
            {
                PublishState(_discovery.Message(entity));
            }
        }
        PublishStreamState(stream);
        return Task.CompletedTask;
    }

    public Task OnStreamUpdatedAsync(StreamConfig before, StreamConfig after, CancellationToken cancellationToken)
    {
        RememberFilterLabels(after);
        PublishStreamState(after);
        return Task.CompletedTask;
    }

    /// <summary>A deleted stream's entities are removed (empty retained configs) and its retained states cleared; queued while away.</summary>
    public Task OnStreamRemovedAsync(StreamConfig stream, bool permanent, CancellationToken cancellationToken)
    {
        if (!permanent)
        {
            PublishState(_topics.Online(stream.Name), "OFF");
            return Task.CompletedTask;
        }
        var labels = _activity.Labels(stream.Name);
        if (_options.HaDiscovery)
        {
            foreach (var entity in _discovery.Camera(stream.Name, labels))
            {
                _outbox.Enqueue(_discovery.Removal(entity));
            }
        }
        foreach (var topic in StateTopics(stream.Name, labels).Append(_topics.Snapshot(stream.Name)))
        {
            _lastState.TryRemove(topic, out _);
            _outbox.Enqueue(MqttMessage.Clear(topic));
        }
        _activity.Forget(stream.Name);
        return Task.CompletedTask;
    }

    private void OnReceived(string topic, string payload)
    {
        if (!_received.Writer.TryWrite((topic, payload)))
        {
            Interlocked.Increment(ref _droppedCommands);
        }
    }

    private async Task CommandLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var (topic, payload) in _received.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await HandleReceivedAsync(topic, payload, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task HandleReceivedAsync(string topic, string payload, CancellationToken ct)
    {
        try
        {
            if (topic == _topics.HomeAssistantStatus)
            {
                if (payload.Trim() == "online" && _options.HaDiscovery && _connection.IsConnected)
                {
                    foreach (var message in await GreetingAsync(ct).ConfigureAwait(false))
                    {
                        _outbox.Enqueue(message); // Home Assistant restarted: it needs discovery and states again
                    }
                }
                return;
            }
            if (!_topics.TryParseCommand(topic, out var stream, out var name))
            {
                return;
            }
            var outcome = await _commands.HandleAsync(stream, name, payload, ct).ConfigureAwait(false);
            LogCommand(MqttTopics.Segment(stream), name, MqttTopics.Segment(payload), outcome);
            // Done: the stream listener (OnStreamUpdatedAsync) has published the new state. Otherwise the state is
            // republished as it is, so a client that flipped its switch optimistically flips back.
            if (outcome != MqttCommandOutcome.Done && await _streams.GetAsync(stream, ct).ConfigureAwait(false) is { } current)
            {
                _lastState.TryRemove(_topics.SwitchState(stream, name), out _);
                PublishStreamState(current);
            }
        }
#pragma warning disable CA1031 // one bad command must not end the loop
        catch (Exception e) when (!ct.IsCancellationRequested)
#pragma warning restore CA1031
        {
            LogCommandFailed(MqttTopics.Segment(topic), e.Message);
        }
    }

    private void RememberFilterLabels(StreamConfig stream)
    {
        if (stream.DetectionObjectFilter.Equals("include", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var label in stream.DetectionObjectFilterList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                _activity.Remember(stream.Name, label);
            }
        }
    }

    /// <summary>Stops the loops, flushes the outbox for at most <see cref="MaxFlushTime"/>, publishes <c>offline</c>, disconnects.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _tasks.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _connection.StopAsync(MaxFlushTime).ConfigureAwait(false);
    }

    /// <summary>Idempotent: the container disposes the bridge once per registration it was resolved through.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private static string OnOff(bool on) => on ? "ON" : "OFF";

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT: command {Stream} {Switch} = {Payload}: {Outcome}")]
    private partial void LogCommand(string stream, string @switch, string payload, MqttCommandOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT: command on {Topic} failed: {Reason}")]
    private partial void LogCommandFailed(string topic, string reason);
}
