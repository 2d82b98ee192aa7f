using LightNvr.Config;

namespace LightNvr.Auth;

/// <summary>
/// Brute-force protection for password logins ([web] login_rate_limit_*), fair to the people it protects. Failures are
/// counted in a sliding window of login_rate_limit_window_seconds, per channel (<see cref="LoginChannel"/>), under three
/// keys; a login is refused (429 with Retry-After) while any key is full:
/// <list type="bullet">
/// <item>(user, address): max_attempts. The back-off an attacker meets; the same user from any other address is unaffected.</item>
/// <item>address: <see cref="AddressCeilingFactor"/> × max_attempts across all users (password spraying from one host).</item>
/// <item>user: <see cref="UserCeilingFactor"/> × max_attempts across all addresses, the global ceiling on guesses at one
/// account from many hosts.</item>
/// </list>
/// Sessions and API keys never pass through here. Memory is bounded: at most <see cref="MaxTrackedKeys"/> keys.
/// </summary>
public sealed class LoginRateLimiter(ConfigSection<WebOptions> web, TimeProvider time)
{
    /// <summary>Keys kept at once: 10k keys of at most 50 timestamps ≈ 4 MB in the worst case, ~1 MB typically.</summary>
    public const int MaxTrackedKeys = 10_000;

    /// <summary>An address may fail this many times max_attempts across all users (4 users' worth of typos behind one NAT).</summary>
    public const int AddressCeilingFactor = 4;

    /// <summary>One account may fail this many times max_attempts across all addresses before it is refused everywhere.</summary>
    public const int UserCeilingFactor = 10;

    private readonly Dictionary<string, Queue<long>> _failures = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private bool Enabled => web.Current.LoginRateLimitEnabled && web.Current.LoginRateLimitMaxAttempts > 0;
    private int MaxAttempts => web.Current.LoginRateLimitMaxAttempts;
    private long WindowTicks => TimeSpan.FromSeconds(Math.Max(1, web.Current.LoginRateLimitWindowSeconds)).Ticks;

    /// <summary>How long <paramref name="username"/> from <paramref name="clientIp"/> must wait, or null when it may try now.</summary>
    public TimeSpan? RetryAfter(LoginChannel channel, string username, string? clientIp)
    {
        if (!Enabled)
        {
            return null;
        }
        lock (_lock)
        {
            long? until = null;
            foreach (var (key, limit) in Keys(channel, username, clientIp))
            {
                if (FullUntil(key, limit) is { } t && (until is null || t > until))
                {
                    until = t;
                }
            }
            return until is { } u ? TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, u - time.GetUtcNow().UtcTicks)) : null;
        }
    }

    public bool IsLimited(LoginChannel channel, string username, string? clientIp) => RetryAfter(channel, username, clientIp) is not null;

    public void RecordFailure(LoginChannel channel, string username, string? clientIp)
    {
        if (!Enabled)
        {
            return;
        }
        lock (_lock)
        {
            var keys = Keys(channel, username, clientIp).ToList();
            foreach (var (key, limit) in keys)
            {
                Add(key, limit, keys[0].Key);
            }
        }
    }

    /// <summary>A successful login forgets the failures of that user from that address (not the address's or the user's ceilings).</summary>
    public void RecordSuccess(LoginChannel channel, string username, string? clientIp)
    {
        lock (_lock)
        {
            _failures.Remove(PairKey(channel, username, clientIp ?? ""));
        }
    }

    /// <summary>Admin action: forgets every failure of a username (every address, every channel). True when it was limited.</summary>
    public bool ClearUser(string username) => ClearWhere(Marker(username, user: true));

    /// <summary>Admin action: forgets every failure from an address (every user, every channel). True when it was limited.</summary>
    public bool ClearAddress(string clientIp) => ClearWhere(Marker(clientIp, user: false));

    private bool ClearWhere(string marker)
    {
        lock (_lock)
        {
            var wasLimited = false;
            foreach (var key in _failures.Keys.Where(k => k.Contains(marker, StringComparison.Ordinal)).ToList())
            {
                wasLimited |= Enabled && FullUntil(key, LimitOf(key)) is not null;
                _failures.Remove(key);
            }
            return wasLimited;
        }
    }

    // Keys: "p|web|u:alice|a:10.0.0.1", "a|web|a:10.0.0.1", "u|web|u:alice". Markers "|u:alice|"-style find them all.
    private static string Marker(string value, bool user) => (user ? "|u:" + value.ToLowerInvariant() : "|a:" + value) + "|";
    private static string Channel(LoginChannel channel) => channel == LoginChannel.Web ? "web" : "rtsp";
    private static string PairKey(LoginChannel channel, string username, string ip) =>
        "p|" + Channel(channel) + Marker(username, user: true) + "a:" + ip + "|";

    private IEnumerable<(string Key, int Limit)> Keys(LoginChannel channel, string username, string? clientIp)
    {
        var ip = clientIp ?? "";
        yield return (PairKey(channel, username, ip), MaxAttempts);
        if (ip.Length > 0)
        {
            yield return ("a|" + Channel(channel) + Marker(ip, user: false), MaxAttempts * AddressCeilingFactor);
        }
        yield return ("u|" + Channel(channel) + Marker(username, user: true), MaxAttempts * UserCeilingFactor);
    }

    private int LimitOf(string key) => key[0] switch
    {
        'a' => MaxAttempts * AddressCeilingFactor,
        'u' => MaxAttempts * UserCeilingFactor,
        _ => MaxAttempts,
    };

    /// <summary>When the key stops being full (its oldest failure leaves the window), or null when it is not full.</summary>
    private long? FullUntil(string key, int limit)
    {
        if (!_failures.TryGetValue(key, out var queue))
        {
            return null;
        }
        Prune(queue);
        if (queue.Count == 0)
        {
            _failures.Remove(key);
            return null;
        }
        return queue.Count >= limit ? queue.Peek() + WindowTicks : null;
    }

    private void Add(string key, int limit, string keep)
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
        while (queue.Count > limit)
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
    /// <paramref name="keep"/>, the pair key of the failure being recorded.
    /// </summary>
    private void Evict(string keep)
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
