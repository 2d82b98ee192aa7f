namespace LightNvr.Integrations.Webhooks;

/// <summary>
/// When to try again (docs/webhooks.md): after attempt n fails with a retryable outcome, the next comes
/// <see cref="FirstDelay"/> × 2^(n−1) later, at most <see cref="MaxDelay"/> (5 s, 10 s, 20 s … 1 h), or later when the
/// receiver asked so with <c>Retry-After</c>; after <see cref="MaxAttempts"/> attempts the delivery fails. Retryable: no
/// response (refused, timed out, network error), 408, 425, 429 and 5xx; any other answer will not change by asking
/// again (a 4xx, a redirect to another host) and fails at once. No jitter: each hook sends one request at a time, so
/// there is no herd to spread.
/// </summary>
public static class WebhookRetryPolicy
{
    /// <summary>Attempts per delivery: with the schedule below the last one is ~2.4 h after the first (a router reboot, a short outage).</summary>
    public const int MaxAttempts = 12;

    /// <summary>The first retry's wait: long enough for a receiver restarting, short enough that a blip costs seconds.</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between attempts (and the cap on <c>Retry-After</c>).</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);

    /// <summary>The wait after <paramref name="attemptsMade"/> attempts (1 or more) have failed.</summary>
    public static TimeSpan Delay(int attemptsMade)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attemptsMade, 1);
        var exponent = Math.Min(attemptsMade - 1, 20); // 5 s × 2^20 is far beyond the cap already
        var delay = TimeSpan.FromTicks(FirstDelay.Ticks << exponent);
        return delay > MaxDelay ? MaxDelay : delay;
    }

    /// <summary>The wait before the next attempt, honouring a receiver's <c>Retry-After</c> up to <see cref="MaxDelay"/>.</summary>
    public static TimeSpan Delay(int attemptsMade, TimeSpan? retryAfter)
    {
        var delay = Delay(attemptsMade);
        return retryAfter is { } asked && asked > delay ? (asked > MaxDelay ? MaxDelay : asked) : delay;
    }

    /// <summary>True when asking again may succeed: no response (0), 408, 425, 429 or 5xx.</summary>
    public static bool IsRetryable(int status) => status is 0 or 408 or 425 or 429 or >= 500;

    /// <summary>The total of every wait a delivery that never succeeds goes through (documentation and tests).</summary>
    public static TimeSpan TotalRetryTime()
    {
        var total = TimeSpan.Zero;
        for (var n = 1; n < MaxAttempts; n++)
        {
            total += Delay(n);
        }
        return total;
    }
}
