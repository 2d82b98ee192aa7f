using System.Globalization;
using LightNvr.Events;
using Microsoft.Extensions.Logging;

namespace LightNvr.Onvif;

/// <summary>
/// One camera's PullPoint subscription (ONVIF Core §9.3: CreatePullPointSubscription, PullMessages, Renew,
/// Unsubscribe) feeding <see cref="IObservationSink"/> with <see cref="ObservationSource.Onvif"/>. Cameras send a
/// notification when motion starts and another when it stops; while a label is active an observation is reported
/// every pull (≈ <see cref="PullInterval"/>), so the event stays open until the camera says it stopped and then ends
/// one post-detection buffer later. Errors reconnect with a growing delay (<see cref="MaxBackoff"/>). A camera that
/// refuses CreatePullPointSubscription gets a WS-BaseNotification Subscribe (push, ONVIF Core §9.2) with a callback
/// on <paramref name="inbox"/>: its Notify messages change the active labels, and the same once-a-second report runs.
/// </summary>
public sealed class OnvifEventSubscription(OnvifSoapClient client, TimeProvider time, IObservationSink sink, ILogger logger,
    string stream, Uri deviceUrl, OnvifCredentials? credentials, OnvifPushInbox? inbox = null)
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
    private readonly Lock _lock = new();

    /// <summary>Observations reported so far (health, tests).</summary>
    public long Reported { get; private set; }

    /// <summary>True while the camera pushes (Base Notification) instead of being pulled.</summary>
    public bool Pushing { get; private set; }

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
                lock (_lock)
                {
                    _active.Clear();
                }
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
        Uri address;
        try
        {
            (address, _) = EventReplies.Subscription(await device.CallAsync(events,
                $"<CreatePullPointSubscription xmlns=\"{Tev}\"><InitialTerminationTime>{Duration(Lifetime)}</InitialTerminationTime></CreatePullPointSubscription>",
                stoppingToken).ConfigureAwait(false));
        }
        catch (OnvifException e) when (inbox is not null && e.Kind is OnvifErrorKind.NotSupported or OnvifErrorKind.Fault)
        {
            await PushAsync(device, events, inbox, stoppingToken).ConfigureAwait(false);
            return;
        }
        var renewAt = time.GetUtcNow() + Lifetime / 2;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var started = time.GetUtcNow();
                var messages = EventReplies.PullMessages(await device.CallAsync(address,
                    $"<PullMessages xmlns=\"{Tev}\"><Timeout>{Duration(PullInterval)}</Timeout><MessageLimit>{EventReplies.MaxMessages}</MessageLimit></PullMessages>",
                    stoppingToken).ConfigureAwait(false));
                Apply(messages);
                ReportActive();
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

    /// <summary>Base Notification: Subscribe with our callback, report the active labels each second, renew at half the lifetime.</summary>
    private async Task PushAsync(OnvifDevice device, Uri events, OnvifPushInbox inbox, CancellationToken stoppingToken)
    {
        var token = inbox.Register(Apply);
        try
        {
            var callback = await inbox.CallbackAsync(deviceUrl, token, stoppingToken).ConfigureAwait(false)
                ?? throw new OnvifException(OnvifErrorKind.Unreachable, "the camera offers no PullPoint and no callback address for its push notifications is known");
            var (address, _) = EventReplies.Subscribed(await device.CallAsync(events,
                $"<Subscribe xmlns=\"{Wsnt}\"><ConsumerReference><Address xmlns=\"http://www.w3.org/2005/08/addressing\">{SoapEnvelope.Escape(callback.AbsoluteUri)}</Address>" +
                $"</ConsumerReference><InitialTerminationTime>{Duration(Lifetime)}</InitialTerminationTime></Subscribe>", stoppingToken).ConfigureAwait(false));
            Pushing = true;
            logger.LogInformation("ONVIF events of {Stream}: the camera has no PullPoint; it pushes (Base Notification)", stream);
            var renewAt = time.GetUtcNow() + Lifetime / 2;
            try
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    ReportActive();
                    if (time.GetUtcNow() >= renewAt)
                    {
                        await device.CallAsync(address, $"<Renew xmlns=\"{Wsnt}\"><TerminationTime>{Duration(Lifetime)}</TerminationTime></Renew>", stoppingToken)
                            .ConfigureAwait(false);
                        renewAt = time.GetUtcNow() + Lifetime / 2;
                    }
                    await Task.Delay(PullInterval, time, stoppingToken).ConfigureAwait(false);
                }
            }
            finally
            {
                Pushing = false;
                await UnsubscribeAsync(device, address).ConfigureAwait(false);
            }
        }
        finally
        {
            inbox.Unregister(token);
        }
    }

    private void Apply(IReadOnlyList<OnvifNotification> messages)
    {
        lock (_lock)
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
        }
    }

    private void ReportActive()
    {
        string[] active;
        lock (_lock)
        {
            active = [.. _active];
        }
        var now = time.GetUtcNow();
        foreach (var label in active)
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
