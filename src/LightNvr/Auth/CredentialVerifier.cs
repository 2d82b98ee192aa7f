using LightNvr.Data;

namespace LightNvr.Auth;

/// <summary>
/// Checks a username and password against users, and rehashes a password stored with other PBKDF2 parameters than
/// today's once it has verified. Basic auth goes through <see cref="VerifyBasicAsync"/>, which uses the short cache.
/// </summary>
public sealed class CredentialVerifier(UserStore users, PasswordHasher hasher, BasicCredentialCache cache,
    FirstAdminService firstAdmin)
{
    // Verified when the username is unknown, so a miss costs the same PBKDF2 time as a wrong password.
    private readonly Lazy<(string Hash, string Salt)> _dummy = new(() => hasher.Hash("not-a-user-password"));

    /// <summary>The active user with this username and password, or null.</summary>
    public async Task<UserRecord?> VerifyPasswordAsync(string username, string password, CancellationToken ct = default)
    {
        await firstAdmin.Completion.WaitAsync(ct).ConfigureAwait(false); // the first admin is created after listening
        var user = await users.GetByUsernameAsync(username, ct).ConfigureAwait(false);
        if (user is null)
        {
            hasher.Verify(password, _dummy.Value.Hash, _dummy.Value.Salt, out _);
            return null;
        }
        if (!hasher.Verify(password, user.PasswordHash, user.Salt, out var needsRehash) || !user.IsActive)
        {
            return null;
        }
        if (needsRehash)
        {
            var (hash, salt) = hasher.Hash(password);
            await users.SetPasswordAsync(user.Id, hash, salt, ct).ConfigureAwait(false);
            user = user with { PasswordHash = hash, Salt = salt };
        }
        return user;
    }

    /// <summary>As <see cref="VerifyPasswordAsync"/>, trusting a pair that verified within the last minute.</summary>
    public async Task<UserRecord?> VerifyBasicAsync(string username, string password, CancellationToken ct = default)
    {
        if (cache.TryGet(username, password, out var userId, out var verifiedHash))
        {
            var cached = await users.GetByUsernameAsync(username, ct).ConfigureAwait(false);
            if (cached is not null && cached.Id == userId && cached.PasswordHash == verifiedHash && cached.IsActive)
            {
                return cached;
            }
        }
        var user = await VerifyPasswordAsync(username, password, ct).ConfigureAwait(false);
        if (user is not null)
        {
            cache.Add(username, password, user.Id, user.PasswordHash);
        }
        return user;
    }
}
