using System.Collections.Concurrent;
using LightNvr.Data;
using LightNvr.Events;

namespace LightNvr.Integrations.Webhooks;

/// <summary>
/// The webhooks' background work (docs/webhooks.md), two loops. The queue loop turns the <see cref="WebhookDispatcher"/>'s
/// event changes into pending <c>webhook_deliveries</c> rows, one per hook that wants the change, a batch per
/// transaction. The send loop delivers: each hook's queue is first in, first out with one request in flight per hook
/// (a start is never overtaken by its end), at most <see cref="MaxConcurrentSends"/> hooks at once, and a failed
/// attempt is retried on <see cref="WebhookRetryPolicy"/>'s schedule, its next time stored in the row, so retries carry
/// on after a restart. Time is the injected clock's, so tests drive the schedule.
/// </summary>
public sealed partial class WebhookSender : IHostedService, IDisposable
{
    /// <summary>Hooks sent to at once: a few receivers, each answering within <see cref="WebhookClient.RequestTimeout"/>; more would only add sockets.</summary>
    public const int MaxConcurrentSends = 4;

    /// <summary>Changes written per transaction at most (a burst of every camera at once is one or two batches).</summary>
    public const int MaxBatch = 256;

    /// <summary>The wait after a database error before the loops try again.</summary>
    private static readonly TimeSpan ErrorDelay = TimeSpan.FromSeconds(1);

    private readonly WebhookStore _store;
    private readonly WebhookDispatcher _dispatcher;
    private readonly WebhookClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookSender> _logger;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly ConcurrentDictionary<long, Task> _inFlight = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, long[]> _perHook = new(); // [delivered, retried, failed]
    private Task _queueLoop = Task.CompletedTask;
    private Task _sendLoop = Task.CompletedTask;
    private long _delivered;
    private long _failed;
    private long _retried;
    private long _droppedQueueFull;

    public WebhookSender(WebhookStore store, WebhookDispatcher dispatcher, WebhookClient client, TimeProvider time,
        ILogger<WebhookSender> logger)
    {
        _store = store;
        _dispatcher = dispatcher;
        _client = client;
        _time = time;
        _logger = logger;
    }

    /// <summary>Deliveries that got a 2xx.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Deliveries given up (attempts ran out or not retryable).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Attempts that failed and were scheduled again.</summary>
    public long Retried => Interlocked.Read(ref _retried);

    /// <summary>Pending deliveries dropped because their hook had <see cref="WebhookStore.MaxPendingPerHook"/> waiting.</summary>
    public long DroppedQueueFull => Interlocked.Read(ref _droppedQueueFull);

    /// <summary>Requests in flight now (at most <see cref="MaxConcurrentSends"/>).</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>Per hook since start: deliveries delivered, attempts retried, deliveries failed (for /api/metrics).</summary>
    public IReadOnlyList<(long Hook, long Delivered, long Retried, long Failed)> PerHook =>
        [.. _perHook.OrderBy(p => p.Key).Select(p => (p.Key, Interlocked.Read(ref p.Value[0]), Interlocked.Read(ref p.Value[1]),
            Interlocked.Read(ref p.Value[2])))];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshHooksAsync(cancellationToken).ConfigureAwait(false);
        _queueLoop = Task.Run(QueueLoopAsync, CancellationToken.None);
        _sendLoop = Task.Run(() => SendLoopAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>
    /// Stop: the changes still queued are written (they are sent after the next start), the send loop ends, and requests
    /// in flight are abandoned without counting as an attempt (they are sent again after the next start).
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _dispatcher.StopAsync(cancellationToken).ConfigureAwait(false); // in case the spine did not stop first
        await _queueLoop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _sendLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Task.WhenAll(_inFlight.Values).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _wake.Dispose();
    }

    /// <summary>Wakes the send loop (a delivery was queued, a hook changed).</summary>
    internal void Wake() => _wake.Release();

    /// <summary>Tells the dispatcher whether any hook is enabled (called after every hook change).</summary>
    internal async Task RefreshHooksAsync(CancellationToken ct)
    {
        _dispatcher.AnyHook = (await _store.ListAsync(ct).ConfigureAwait(false)).Any(h => h.Enabled);
        Wake();
    }

    private async Task QueueLoopAsync()
    {
        var reader = _dispatcher.Reader;
        var batch = new List<EventChange>(MaxBatch);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var change))
            {
                batch.Add(change);
            }
            try
            {
                var hooks = await _store.ListAsync().ConfigureAwait(false);
                var deliveries = new List<WebhookDelivery>();
                foreach (var change in batch)
                {
                    var kind = WebhookPayload.KindName(change.Kind);
                    string? body = null;
                    foreach (var hook in hooks.Where(h => h.Wants(kind, change.Event.StreamName)))
                    {
                        body ??= WebhookPayload.ForEvent(change);
                        deliveries.Add(new WebhookDelivery
                        {
                            WebhookId = hook.Id, Kind = WebhookPayload.Type(change.Kind), EventId = change.Event.Id,
                            StreamName = change.Event.StreamName, Body = body,
                        });
                    }
                }
                Interlocked.Add(ref _droppedQueueFull, await _store.EnqueueAsync(deliveries).ConfigureAwait(false));
                if (deliveries.Count > 0)
                {
                    Wake();
                }
            }
#pragma warning disable CA1031 // a database error loses this batch, not the loop
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogQueueFailed(batch.Count, e.Message);
                await Task.Delay(ErrorDelay, _time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
