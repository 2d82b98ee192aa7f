using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace LightNvr.Integrations.Mqtt;

/// <summary>
/// One MQTTnet client and the task that keeps it connected: connect (backing off per <see cref="MqttBackoff"/> after
/// a failure), subscribe to the command topics, publish <c>online</c> (retained) and the greeting (discovery and every
/// state, since a restarted broker has lost its retained messages), then send the outbox in order. A message whose
/// publish fails because the connection dropped stays first in line for the next connection; a broker that refuses a
/// message (connection still up) loses only that one (counted). Nothing here blocks a caller: the outbox takes
/// messages without waiting, and received commands are handed on at once.
/// </summary>
public sealed partial class MqttConnection : IAsyncDisposable
{
    /// <summary>Longest command payload read (<c>ON</c>/<c>OFF</c>, Home Assistant's <c>online</c>); longer ones are ignored.</summary>
    public const int MaxCommandBytes = 64;

    private readonly IMqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly MqttTopics _topics;
    private readonly MqttOutbox _outbox;
    private readonly Func<CancellationToken, Task<IReadOnlyList<MqttMessage>>> _greeting;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _broker;
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private Task _run = Task.CompletedTask;
    private MqttMessage? _inFlight;
    private int _failures;
    private long _connects;
    private long _published;
    private long _refused;
    private string? _lastError;

    /// <param name="received">Called with each received message's topic and payload on MQTTnet's thread: must not block.</param>
    public MqttConnection(string broker, MqttClientOptions options, MqttTopics topics, MqttOutbox outbox,
        Func<CancellationToken, Task<IReadOnlyList<MqttMessage>>> greeting, Action<string, string> received, TimeProvider time, ILogger logger)
    {
        _broker = broker;
        _options = options;
        _topics = topics;
        _outbox = outbox;
        _greeting = greeting;
        _time = time;
        _logger = logger;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.DisconnectedAsync += e =>
        {
            if (e.ClientWasConnected && !_stopping.IsCancellationRequested)
            {
                LogLost(e.Reason.ToString(), e.Exception?.Message ?? "");
            }
            _outbox.Wake();
            return Task.CompletedTask;
        };
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var payload = e.ApplicationMessage.Payload;
            if (payload.Length <= MaxCommandBytes)
            {
                received(e.ApplicationMessage.Topic, Encoding.UTF8.GetString(payload));
            }
            return Task.CompletedTask;
        };
    }

    public bool IsConnected => _client.IsConnected;

    /// <summary>Successful connections so far (the first and every reconnection).</summary>
    public long Connects => Interlocked.Read(ref _connects);

    public long Published => Interlocked.Read(ref _published);

    /// <summary>Messages the broker refused or that could not be sent on a live connection (dropped).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Why the last connection attempt failed; null once connected.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    public void Start() => _run = Task.Run(() => RunAsync(_stopping.Token));

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (!_client.IsConnected)
                {
                    if (!await TryConnectAsync(ct).ConfigureAwait(false))
                    {
                        await Task.Delay(MqttBackoff.Delay(++_failures, Random.Shared.NextDouble()), _time, ct).ConfigureAwait(false);
                        continue;
                    }
                    _failures = 0;
                }
                await DrainAsync(ct).ConfigureAwait(false);
                if (_client.IsConnected)
                {
                    await _outbox.WaitAsync(ct).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<bool> TryConnectAsync(CancellationToken ct)
    {
        try
        {
            var result = await _client.ConnectAsync(_options, ct).ConfigureAwait(false);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                return Failed($"refused: {result.ResultCode}");
            }
            var subscribe = new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(_topics.SwitchCommandFilter(MqttTopics.RecordingSwitch), MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter(_topics.SwitchCommandFilter(MqttTopics.DetectionSwitch), MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter(_topics.HomeAssistantStatus, MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            await _client.SubscribeAsync(subscribe, ct).ConfigureAwait(false);
            await PublishAsync(MqttMessage.State(_topics.Availability, "online"), ct).ConfigureAwait(false);
            foreach (var message in await _greeting(ct).ConfigureAwait(false))
            {
                await PublishAsync(message, ct).ConfigureAwait(false);
            }
            Interlocked.Increment(ref _connects);
            Volatile.Write(ref _lastError, null);
            LogConnected(_broker, _failures);
            return true;
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException e)
        {
            return Failed(e.Message);
        }
#pragma warning disable CA1031 // any network or protocol failure means: try again later
        catch (Exception e) when (!ct.IsCancellationRequested)
#pragma warning restore CA1031
        {
            if (_client.IsConnected)
            {
                // Connected but the subscription or greeting failed: drop the connection so the next attempt redoes both.
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None)
                    .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            return Failed(e.Message);
        }
    }

    private bool Failed(string reason)
    {
        var first = Volatile.Read(ref _lastError) != reason;
        Volatile.Write(ref _lastError, reason);
        if (first)
        {
            LogConnectFailed(reason); // once per distinct reason, not every retry
        }
        return false;
    }

    /// <summary>Sends the outbox in order while connected; a publish cut by a lost connection is retried first next time.</summary>
    private async Task DrainAsync(CancellationToken ct)
    {
        while (_client.IsConnected)
        {
            var message = _inFlight;
            if (message is null && !_outbox.TryDequeue(out message))
            {
                return;
            }
            _inFlight = message;
            try
            {
                await PublishAsync(message, ct).ConfigureAwait(false);
                _inFlight = null;
            }
#pragma warning disable CA1031
            catch (Exception e) when (!ct.IsCancellationRequested)
#pragma warning restore CA1031
            {
                if (_client.IsConnected)
                {
                    _inFlight = null; // the broker refused this one: drop it, keep the rest
                    Interlocked.Increment(ref _refused);
                    LogRefused(message.Topic, e.Message);
                }
                return;
            }
        }
    }

    private async Task PublishAsync(MqttMessage m, CancellationToken ct)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(m.Topic)
            .WithPayloadSegment(m.Payload)
            .WithQualityOfServiceLevel(MqttConnectOptions.Qos(m.Qos))
            .WithRetainFlag(m.Retain)
            .Build();
        var result = await _client.PublishAsync(message, ct).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"publish refused: {result.ReasonCode}");
        }
        Interlocked.Increment(ref _published);
    }

    /// <summary>Stops reconnecting, sends what is queued (for at most <paramref name="flush"/>), publishes <c>offline</c> and disconnects cleanly.</summary>
    public async Task StopAsync(TimeSpan flush)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!_client.IsConnected)
        {
            return;
        }
        using var deadline = new CancellationTokenSource(flush, _time);
        try
        {
            await DrainAsync(deadline.Token).ConfigureAwait(false);
            await PublishAsync(MqttMessage.State(_topics.Availability, "offline"), deadline.Token).ConfigureAwait(false);
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), deadline.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a broker gone at shutdown: its last will says offline
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogStopFailed(e.Message);
        }
    }

    /// <summary>Idempotent: the container disposes the bridge once per registration it was resolved through.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await StopAsync(TimeSpan.Zero).ConfigureAwait(false);
        _client.Dispose();
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT: connected to {Broker} (after {Failures} failed attempts)")]
    private partial void LogConnected(string broker, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT: cannot connect: {Reason}; retrying with backoff")]
    private partial void LogConnectFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT: connection lost ({Reason}) {Detail}; reconnecting")]
    private partial void LogLost(string reason, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT: publish to {Topic} refused: {Reason}")]
    private partial void LogRefused(string topic, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "MQTT: clean stop failed: {Reason}")]
    private partial void LogStopFailed(string reason);
}
