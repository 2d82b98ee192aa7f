using System.Security.Cryptography;
using System.Text;
using LightNvr.Data;
using LightNvr.IO;

namespace LightNvr.Relay;

/// <summary>
/// The credential one recorder node shows another's RTSP restream server to relay a camera's live view: the fixed user
/// <see cref="User"/> and a random password created once in the shared database (<c>cluster_secrets</c>,
/// insert-if-absent: every node reads the first one written). Nodes have no user account, and users are for people.
/// The holder accepts it for reading only (never publishing) and only for a camera whose lease it holds
/// (<c>Restream/RestreamHandler</c>). Never logged, never in an API answer; loaded at first use, PostgreSQL only (one
/// box has no other node: <see cref="PasswordAsync"/> is null and nothing matches).
/// </summary>
public sealed class NodeRelayCredential(Database database, LeaseStore store)
{
    /// <summary>The user name of node-to-node requests; no person can log in as it over RTSP.</summary>
    public const string User = "lightnvr-node";

    /// <summary>The row of <c>cluster_secrets</c> holding the password.</summary>
    public const string SecretName = "node_relay";

    private readonly SemaphoreSlim _load = new(1, 1);
    private volatile string? _password;
    private byte[]? _expected;

    /// <summary>The shared password (read or created on first use); null on SQLite.</summary>
    public async ValueTask<string?> PasswordAsync(CancellationToken ct = default)
    {
        if (_password is { } known || database.Engine != DatabaseEngine.Postgresql)
        {
            return _password;
        }

        await _load.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_password is null)
            {
                var password = await store.SharedSecretAsync(SecretName,
                    Convert.ToHexStringLower(KernelRandom.GetBytes(32)), ct).ConfigureAwait(false);
                _expected = Encoding.UTF8.GetBytes($"{User}:{password}");
                _password = password;
            }
            return _password;
        }
        finally
        {
            _load.Release();
        }
    }

    /// <summary>True when an RTSP request names the node user (then only <see cref="MatchesAsync"/> decides).</summary>
    public static bool IsNodeUser(string username) => string.Equals(username, User, StringComparison.Ordinal);

    /// <summary>Whether <paramref name="password"/> is the shared one (constant-time compare).</summary>
    public async ValueTask<bool> MatchesAsync(string username, string password, CancellationToken ct = default)
    {
        if (!IsNodeUser(username) || await PasswordAsync(ct).ConfigureAwait(false) is null || _expected is not { } expected)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes($"{username}:{password}"), expected);
    }

    /// <summary>The URL relaying <paramref name="stream"/> from the restream server at <paramref name="rtspAddress"/>.</summary>
    public static string RelayUrl(string rtspAddress, string stream, string password)
    {
        var builder = new UriBuilder(rtspAddress.TrimEnd('/') + "/" + Uri.EscapeDataString(stream))
        {
            UserName = User,
            Password = password,
        };
        return builder.Uri.AbsoluteUri;
    }
}
