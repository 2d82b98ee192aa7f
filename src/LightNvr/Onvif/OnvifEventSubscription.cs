using System.Globalization;
using LightNvr.Events;
using Microsoft.Extensions.Logging;

namespace LightNvr.Onvif;

/// <summary>
/// One camera's PullPoint subscription (ONVIF Core §9.3: CreatePullPointSubscription, PullMessages, Renew,
/// Unsubscribe) feeding <see cref="IObservationSink"/> with <see cref="ObservationSource.Onvif"/>. Cameras send a
/// notification when motion starts and another when it stops; while a label is active an observation is reported
/// every pull (≈ <see cref="PullInterval"/>), so the event stays open until the camera says it stopped and then ends
/// one post-detection buffer later. Errors reconnect with a growing delay (<see cref="MaxBackoff"/>).
/// </summary>
public sealed class OnvifEventSubscription(OnvifSoapClient client, TimeProvider time, IObservationSink sink, ILogger logger,
    string stream, Uri deviceUrl, OnvifCredentials? credentials)
{
    /// <summary>Time between pulls: the PullMessages timeout asked of the camera, and the least time between two pulls.</summary>
    public static readonly TimeSpan PullInterval = TimeSpan.FromSeconds(1);

    /// <summary>Subscription lifetime asked for, renewed at half of it (upstream asks 60 s).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    /// <summary>Longest wait before reconnecting after failures (first 2 s, doubling).</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    private const string Tev = EventReplies.Namespace;
    private const string Wsnt = "http://docs.oasis-open.org/wsn/b-2";

    private readonly HashSet<string> _active = new(StringComparer.Ordinal);

    /// <summary>Observations reported so far (health, tests).</summary>
    public long Reported { get; private set; }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromSeconds(2);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SubscribeAndPullAsync(stoppingToken).ConfigureAwait(false);
                backoff = TimeSpan.FromSeconds(2);
            }
            catch (OnvifException e)
            {
                logger.LogWarning("ONVIF events of {Stream}: {Message}; retrying in {Seconds} s", stream, e.Message, backoff.TotalSeconds);
                _active.Clear();
                try
                {
                    await Task.Delay(backoff, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task SubscribeAndPullAsync(CancellationToken stoppingToken)
    {
        var device = await OnvifDevice.ConnectAsync(client, time, deviceUrl, credentials, stoppingToken).ConfigureAwait(false);
        var events = device.Capabilities.Events ?? throw OnvifException.NotSupported("the Events service");
        var (address, _) = EventReplies.Subscription(await device.CallAsync(events,
            $"<CreatePullPointSubscription xmlns=\"{Tev}\"><InitialTerminationTime>{Duration(Lifetime)}</InitialTerminationTime></CreatePullPointSubscription>",
            stoppingToken).ConfigureAwait(false));
        var renewAt = time.GetUtcNow() + Lifetime / 2;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var started = time.GetUtcNow();
                var messages = EventReplies.PullMessages(await device.CallAsync(address,
                    $"<PullMessages xmlns=\"{Tev}\"><Timeout>{Duration(PullInterval)}</Timeout><MessageLimit>{EventReplies.MaxMessages}</MessageLimit></PullMessages>",
                    stoppingToken).ConfigureAwait(false));
                Report(messages);
                if (time.GetUtcNow() >= renewAt)
                {
                    await device.CallAsync(address, $"<Renew xmlns=\"{Wsnt}\"><TerminationTime>{Duration(Lifetime)}</TerminationTime></Renew>", stoppingToken)
                        .ConfigureAwait(false);
                    renewAt = time.GetUtcNow() + Lifetime / 2;
                }
                var left = PullInterval - (time.GetUtcNow() - started);
                if (left > TimeSpan.Zero)
                {
                    await Task.Delay(left, time, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            await UnsubscribeAsync(device, address).ConfigureAwait(false);
        }
    }

    private void Report(IReadOnlyList<OnvifNotification> messages)
    {
        foreach (var message in messages)
        {
            if (OnvifEventTopics.Classify(message) is { } detection)
            {
                if (detection.Active)
                {
                    _active.Add(detection.Label);
                }
                else
                {
                    _active.Remove(detection.Label);
                }
            }
        }
        var now = time.GetUtcNow();
        foreach (var label in _active)
        {
            sink.Observe(new Observation(stream, ObservationSource.Onvif, label, 1f, null, null, now));
            Reported++;
        }
    }

    private async Task UnsubscribeAsync(OnvifDevice device, Uri address)
    {
        using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await device.CallAsync(address, $"<Unsubscribe xmlns=\"{Wsnt}\"/>", quick.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OnvifException or OperationCanceledException)
        {
            // The subscription ends by itself at its termination time.
        }
    }

    private static string Duration(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"PT{(int)span.TotalSeconds}S");
}
