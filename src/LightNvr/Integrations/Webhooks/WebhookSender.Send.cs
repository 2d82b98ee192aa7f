using System.Text;
using LightNvr.Data;

namespace LightNvr.Integrations.Webhooks;

/// <summary>The send loop of <see cref="WebhookSender"/>.</summary>
public sealed partial class WebhookSender
{
    private async Task SendLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            long? nextDueMs = null;
            try
            {
                var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
                foreach (var head in await _store.PendingHeadsAsync(ct).ConfigureAwait(false))
                {
                    if (_inFlight.ContainsKey(head.WebhookId))
                    {
                        continue; // its end wakes the loop
                    }
                    if (head.NextAttemptMs > nowMs)
                    {
                        nextDueMs = Math.Min(nextDueMs ?? long.MaxValue, head.NextAttemptMs);
                        continue;
                    }
                    if (_inFlight.Count >= MaxConcurrentSends)
                    {
                        break; // a send ending wakes the loop
                    }
                    // Registered before it starts, so its own removal can never run first and leave a stale entry.
                    var send = new Task<Task>(() => DeliverAsync(head, ct));
                    _inFlight[head.WebhookId] = send.Unwrap();
                    send.Start(TaskScheduler.Default);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a database error: try again shortly
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogSendLoopFailed(e.Message);
                nextDueMs = _time.GetUtcNow().Add(ErrorDelay).ToUnixTimeMilliseconds();
            }
            await WaitAsync(nextDueMs, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits for a wake-up or until <paramref name="dueMs"/> (unix ms on the injected clock; null = no deadline),
    /// whichever comes first. The wait is computed from the clock when the timer is made, so time that passed since
    /// the queue was read is not waited twice.
    /// </summary>
    private async Task WaitAsync(long? dueMs, CancellationToken ct)
    {
        using var timer = dueMs is { } due
            ? new CancellationTokenSource(TimeSpan.FromMilliseconds(Math.Max(0, due - _time.GetUtcNow().ToUnixTimeMilliseconds())), _time)
            : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
        try
        {
            await _wake.WaitAsync(linked.Token).ConfigureAwait(false);
            while (_wake.CurrentCount > 0 && _wake.Wait(0))
            {
                // several wake-ups are one look at the queue
            }
        }
        catch (OperationCanceledException)
        {
            // the wait ended (or the sender stops: the loop sees it)
        }
    }

    private async Task DeliverAsync(WebhookDelivery delivery, CancellationToken ct)
    {
        try
        {
            var hook = await _store.GetAsync(delivery.WebhookId, ct).ConfigureAwait(false);
            if (hook is null || !hook.Enabled)
            {
                return; // deleted (its rows went with it) or disabled (its rows were dropped)
            }
            var started = _time.GetTimestamp();
            var response = await _client.SendAsync(new Uri(hook.Url), hook.Secret, delivery.Kind, delivery.Id,
                Encoding.UTF8.GetBytes(delivery.Body), ct).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested(); // stopping: not an attempt; sent again after the next start
            var attempts = delivery.Attempts + 1;
            var now = _time.GetUtcNow();
            var attempt = Outcome(response, attempts, now, (long)_time.GetElapsedTime(started).TotalMilliseconds);
            await _store.RecordAttemptAsync(delivery, attempt, CancellationToken.None).ConfigureAwait(false);
            Count(hook, delivery, attempt, attempts);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // a database error: the row stays pending and is tried again
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogDeliverFailed(delivery.WebhookId, e.Message);
            // The row is still due: without a pause a failing database write would resend it in a tight loop.
            await Task.Delay(ErrorDelay, _time, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        finally
        {
            _inFlight.TryRemove(delivery.WebhookId, out _);
            Wake();
        }
    }

    /// <summary>What an attempt's response makes of the delivery: delivered, pending again (when), or failed.</summary>
    internal static WebhookAttempt Outcome(WebhookResponse response, int attempts, DateTimeOffset now, long durationMs)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        if (response.Delivered)
        {
            return new WebhookAttempt(WebhookDeliveryState.Delivered, nowMs, response.Status, null, nowMs, durationMs);
        }
        if (response.Retryable && attempts < WebhookRetryPolicy.MaxAttempts)
        {
            var next = now + WebhookRetryPolicy.Delay(attempts, response.RetryAfter);
            return new WebhookAttempt(WebhookDeliveryState.Pending, next.ToUnixTimeMilliseconds(), response.Status, response.Error, nowMs, durationMs);
        }
        var why = response.Retryable ? $"{response.Error} (gave up after {attempts} attempts)" : response.Error;
        return new WebhookAttempt(WebhookDeliveryState.Failed, nowMs, response.Status, why, nowMs, durationMs);
    }

    private void Count(WebhookRecord hook, WebhookDelivery delivery, WebhookAttempt attempt, int attempts)
    {
        var counts = _perHook.GetOrAdd(hook.Id, _ => new long[3]);
        switch (attempt.State)
        {
            case WebhookDeliveryState.Delivered:
                Interlocked.Increment(ref _delivered);
                Interlocked.Increment(ref counts[0]);
                break;
            case WebhookDeliveryState.Pending:
                Interlocked.Increment(ref _retried);
                Interlocked.Increment(ref counts[1]);
                LogRetry(hook.Id, HostOf(hook.Url), delivery.Id, attempts, attempt.Error ?? "");
                break;
            default:
                Interlocked.Increment(ref _failed);
                Interlocked.Increment(ref counts[2]);
                LogGaveUp(hook.Id, HostOf(hook.Url), delivery.Id, attempt.Error ?? "");
                break;
        }
    }

    /// <summary>Only the host goes to the log: a hook URL may carry a token in its path (Home Assistant's webhook ids do).</summary>
    internal static string HostOf(string url) => Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.IdnHost : "?";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhooks: {Count} event changes not queued: {Reason}")]
    private partial void LogQueueFailed(int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhooks: send loop: {Reason}")]
    private partial void LogSendLoopFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Hook}: delivery failed: {Reason}")]
    private partial void LogDeliverFailed(long hook, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {Hook} ({Host}): delivery {Delivery} attempt {Attempt} failed ({Reason}), will retry")]
    private partial void LogRetry(long hook, string host, long delivery, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Hook} ({Host}): delivery {Delivery} failed: {Reason}")]
    private partial void LogGaveUp(long hook, string host, long delivery, string reason);
}
