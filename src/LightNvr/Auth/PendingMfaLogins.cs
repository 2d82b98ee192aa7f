
namespace LightNvr.Auth;

/// <summary>
/// Logins that passed the password and wait for the TOTP code. Kept in memory, never in the sessions table, so a
/// pending token can never be used as a session cookie (upstream's flaw, lightnvr-api.md §1 and §16.11).
/// A token lives 5 minutes and is consumed by its first use.
/// </summary>
public sealed class PendingMfaLogins(TimeProvider time)
{
    /// <summary>Upstream's pending-token lifetime.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    /// <summary>Pending logins kept at once; the oldest is dropped beyond this.</summary>
    public const int MaxPending = 256;

    private readonly Dictionary<string, (long UserId, DateTimeOffset Expires)> _pending = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public string Create(long userId)
    {
        var token = SecretTokens.New(SecretTokens.ApiKeyLength);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            foreach (var stale in _pending.Where(p => p.Value.Expires <= now).Select(p => p.Key).ToArray())
            {
                _pending.Remove(stale);
            }
            if (_pending.Count >= MaxPending)
            {
                _pending.Remove(_pending.MinBy(p => p.Value.Expires).Key);
            }
            _pending[SecretTokens.Hash(token)] = (userId, now + Lifetime);
        }
        return token;
    }

    /// <summary>The user id of a live pending token (not consumed: a wrong code may be retried until it expires).</summary>
    public long? Find(string token)
    {
        lock (_lock)
        {
            return _pending.TryGetValue(SecretTokens.Hash(token), out var e) && e.Expires > time.GetUtcNow() ? e.UserId : null;
        }
    }

    /// <summary>Consumes a token once its login completed.</summary>
    public void Remove(string token)
    {
        lock (_lock)
        {
            _pending.Remove(SecretTokens.Hash(token));
        }
    }
}
