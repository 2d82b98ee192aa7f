using System.Collections.Concurrent;

namespace LightNvr.Storage;

/// <summary>
/// Batch download tokens (lightnvr-api.md §4.6). Nothing is built ahead: the token remembers the ids, and
/// <c>result/{token}</c> streams the ZIP straight from the files, so a job is "complete" (ready) at once. Tokens are
/// single use, belong to the user who made them, and expire after <see cref="KeepFor"/>.
/// </summary>
public sealed class BatchDownloadTokens(TimeProvider time)
{
    /// <summary>Open tokens at once: upstream's 8 download slots.</summary>
    public const int MaxTokens = 8;

    /// <summary>Recordings in one ZIP: upstream's 1–200.</summary>
    public const int MaxIds = 200;

    public static readonly TimeSpan KeepFor = TimeSpan.FromSeconds(600);

    private readonly ConcurrentDictionary<string, (IReadOnlyList<long> Ids, string FileName, long UserId, long Expires)> _tokens =
        new(StringComparer.Ordinal);

    public string? Create(IReadOnlyList<long> ids, string fileName, long userId)
    {
        Forget();
        if (_tokens.Count >= MaxTokens)
        {
            return null;
        }
        var token = Guid.NewGuid().ToString();
        _tokens[token] = (ids, fileName, userId, time.GetUtcNow().Add(KeepFor).ToUnixTimeSeconds());
        return token;
    }

    public (IReadOnlyList<long> Ids, string FileName)? Peek(string token, long userId)
    {
        Forget();
        return _tokens.TryGetValue(token, out var t) && t.UserId == userId ? (t.Ids, t.FileName) : null;
    }

    /// <summary>Takes the token (single use).</summary>
    public (IReadOnlyList<long> Ids, string FileName)? Take(string token, long userId) =>
        Peek(token, userId) is { } t && _tokens.TryRemove(token, out _) ? t : null;

    private void Forget()
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        foreach (var (key, value) in _tokens)
        {
            if (value.Expires < now)
            {
                _tokens.TryRemove(key, out _);
            }
        }
    }
}
