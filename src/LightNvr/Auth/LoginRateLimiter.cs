using LightNvr.Config;

namespace LightNvr.Auth;

/// <summary>
/// Counts failed logins per username and per client address in memory ([web] login_rate_limit_*; upstream: 5 failures
/// in 300 s → 429). A key is limited while it holds max_attempts failures younger than the window. Memory is bounded:
/// at most <see cref="MaxTrackedKeys"/> keys of at most max_attempts timestamps each.
/// </summary>
public sealed class LoginRateLimiter(LightNvrConfig config, TimeProvider time)
{
    /// <summary>Keys kept at once (usernames + addresses): ~10k × ~100 B ≈ 1 MB worst case on a 256 MB box.</summary>
    public const int MaxTrackedKeys = 10_000;

    private readonly Dictionary<string, Queue<long>> _failures = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private bool Enabled => config.Web.LoginRateLimitEnabled && config.Web.LoginRateLimitMaxAttempts > 0;
    private long WindowTicks => TimeSpan.FromSeconds(Math.Max(1, config.Web.LoginRateLimitWindowSeconds)).Ticks;

    public bool IsLimited(string username, string? clientIp)
    {
        if (!Enabled)
        {
            return false;
        }
        lock (_lock)
        {
            return Count(UserKey(username)) >= config.Web.LoginRateLimitMaxAttempts
                || (clientIp is not null && Count(IpKey(clientIp)) >= config.Web.LoginRateLimitMaxAttempts);
        }
    }

    public void RecordFailure(string username, string? clientIp)
    {
        if (!Enabled)
        {
            return;
        }
        lock (_lock)
        {
            var userKey = UserKey(username);
            var ipKey = clientIp is null ? null : IpKey(clientIp);
            Add(userKey, ipKey);
            if (ipKey is not null)
            {
                Add(ipKey, userKey);
            }
        }
    }

    /// <summary>A successful login forgets the username's failures (not the address's).</summary>
    public void RecordSuccess(string username)
    {
        lock (_lock)
        {
            _failures.Remove(UserKey(username));
        }
    }

    /// <summary>Admin action: drops a username's failures. True when it was limited at the time.</summary>
    public bool Clear(string username)
    {
        lock (_lock)
        {
            var wasLimited = Enabled && Count(UserKey(username)) >= config.Web.LoginRateLimitMaxAttempts;
            _failures.Remove(UserKey(username));
            return wasLimited;
        }
    }

    private static string UserKey(string username) => "u:" + username.ToLowerInvariant();
    private static string IpKey(string ip) => "ip:" + ip;

    private int Count(string key)
    {
        if (!_failures.TryGetValue(key, out var queue))
        {
            return 0;
        }
        Prune(queue);
        if (queue.Count == 0)
        {
            _failures.Remove(key);
        }
        return queue.Count;
    }

    private void Add(string key, string? keep)
    {
        if (!_failures.TryGetValue(key, out var queue))
        {
            if (_failures.Count >= MaxTrackedKeys)
            {
                Evict(keep);
            }
            queue = new Queue<long>();
            _failures[key] = queue;
        }
        Prune(queue);
        queue.Enqueue(time.GetUtcNow().UtcTicks);
        while (queue.Count > config.Web.LoginRateLimitMaxAttempts)
        {
            queue.Dequeue();
        }
    }

    private void Prune(Queue<long> queue)
    {
        var cutoff = time.GetUtcNow().UtcTicks - WindowTicks;
        while (queue.Count > 0 && queue.Peek() <= cutoff)
        {
            queue.Dequeue();
        }
    }

    /// <summary>
    /// Drops expired keys; if none expired, the key with the fewest failures (oldest first among equals), never
    /// <paramref name="keep"/>, the other key of the failure being recorded.
    /// </summary>
    private void Evict(string? keep)
    {
        foreach (var (key, queue) in _failures.ToArray())
        {
            Prune(queue);
            if (queue.Count == 0)
            {
                _failures.Remove(key);
            }
        }
        if (_failures.Count >= MaxTrackedKeys)
        {
            var victim = _failures.Where(p => p.Key != keep)
                .MinBy(p => (p.Value.Count, p.Value.Count == 0 ? 0 : p.Value.Last())).Key;
            _failures.Remove(victim);
        }
    }
}
