using System.Security.Cryptography;
using System.Text;
using LightNvr.IO;

namespace LightNvr.Auth;

/// <summary>
/// Remembers, for a short time, that a Basic username:password pair verified, so a client sending Basic on every
/// request costs one PBKDF2 (≈0.5 s on a Pi at 600k iterations) per minute instead of per request. Keys are salted
/// SHA-256 digests of the pair (a per-process random pepper), never the password. An entry also holds the
/// password_hash it was verified against: a changed password no longer matches and falls back to full verification.
/// </summary>
public sealed class BasicCredentialCache(TimeProvider time)
{
    /// <summary>Entries kept: a handful of scripts and cameras per box; 256 bounds memory at ~50 KB.</summary>
    public const int MaxEntries = 256;

    /// <summary>How long a verified pair is trusted without PBKDF2.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private readonly byte[] _pepper = KernelRandom.GetBytes(32);
    private readonly Dictionary<string, (long UserId, string PasswordHash, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public bool TryGet(string username, string password, out long userId, out string passwordHash)
    {
        var key = Key(username, password);
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var entry) && entry.Expires > time.GetUtcNow())
            {
                (userId, passwordHash) = (entry.UserId, entry.PasswordHash);
                return true;
            }
            _entries.Remove(key);
        }
        (userId, passwordHash) = (0, "");
        return false;
    }

    public void Add(string username, string password, long userId, string passwordHash)
    {
        var key = Key(username, password);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_entries.Count >= MaxEntries)
            {
                foreach (var stale in _entries.Where(e => e.Value.Expires <= now).Select(e => e.Key).ToArray())
                {
                    _entries.Remove(stale);
                }
                if (_entries.Count >= MaxEntries)
                {
                    _entries.Remove(_entries.MinBy(e => e.Value.Expires).Key);
                }
            }
            _entries[key] = (userId, passwordHash, now + Lifetime);
        }
    }

    private string Key(string username, string password)
    {
        var data = Encoding.UTF8.GetBytes(username + "\0" + password);
        return Convert.ToHexString(HMACSHA256.HashData(_pepper, data));
    }
}
