using LightNvr.Config;
using LightNvr.Data;

namespace LightNvr.Auth;

/// <summary>
/// The rules of user administration, once: who may change which account, what a username, password and login CIDR
/// list may be, the last active admin can be neither deleted, demoted nor deactivated, and a password, role or active
/// change ends the user's sessions (a password change or deactivation also forgets their trusted devices). Returns
/// a <see cref="UserAccountResult"/>; the endpoints turn it into HTTP.
/// </summary>
public sealed class UserAccounts(UserStore users, SessionStore sessions, TrustedDeviceStore devices, PasswordHasher hasher)
{
    /// <summary>Upstream's minimum password length.</summary>
    public const int MinPasswordLength = 8;
    /// <summary>Bounds PBKDF2 input; far above any passphrase.</summary>
    public const int MaxPasswordLength = 1024;

    /// <summary>An admin may manage any account; anyone else only their own.</summary>
    public static bool MayManage(Caller caller, long userId) => caller.IsAdmin || caller.UserId == userId;

    public async Task<UserAccountResult> CreateAsync(NewUser user, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(user.Username) || string.IsNullOrEmpty(user.Password))
        {
            return UserAccountResult.Invalid("Missing required fields: username and password");
        }
        if (ProfileProblem(user.Username, user.Password, user.AllowedLoginCidrs) is { } problem)
        {
            return UserAccountResult.Invalid(problem);
        }
        var (hash, salt) = hasher.Hash(user.Password);
        var id = await users.InsertAsync(new UserRecord
        {
            Username = user.Username, PasswordHash = hash, Salt = salt, Role = user.Role, Email = user.Email,
            IsActive = user.IsActive, AllowedTags = string.IsNullOrWhiteSpace(user.AllowedTags) ? null : user.AllowedTags,
            AllowedLoginCidrs = user.AllowedLoginCidrs is { } cidrs ? LoginCidrs.Normalize(cidrs) : null,
        }, ct).ConfigureAwait(false);
        return id is null ? UserAccountResult.Conflict() : UserAccountResult.Ok(await users.GetAsync(id.Value, ct).ConfigureAwait(false));
    }

    /// <summary>
    /// Applies <paramref name="change"/>; <paramref name="inputError"/> is the request's own field error, reported
    /// after the user is found (a missing user is 404 whatever the body says).
    /// </summary>
    public async Task<UserAccountResult> UpdateAsync(long userId, UserChange change, string? inputError, CancellationToken ct)
    {
        if (await users.GetAsync(userId, ct).ConfigureAwait(false) is not { } user)
        {
            return UserAccountResult.NotFound();
        }
        if (inputError is not null)
        {
            return UserAccountResult.Invalid(inputError);
        }
        var tags = change.ClearAllowedTags ? null : change.AllowedTags ?? user.AllowedTags;
        var updated = user with
        {
            Username = change.Username ?? user.Username, Email = change.Email ?? user.Email, Role = change.Role ?? user.Role,
            IsActive = change.IsActive ?? user.IsActive, AllowedTags = string.IsNullOrWhiteSpace(tags) ? null : tags,
            AllowedLoginCidrs = change.ClearAllowedLoginCidrs ? null
                : change.AllowedLoginCidrs is { } cidrs ? LoginCidrs.Normalize(cidrs) : user.AllowedLoginCidrs,
        };
        var password = string.IsNullOrEmpty(change.Password) ? null : change.Password;
        if (ProfileProblem(updated.Username, password, updated.AllowedLoginCidrs) is { } problem)
        {
            return UserAccountResult.Invalid(problem);
        }
        if (IsActiveAdmin(user) && !IsActiveAdmin(updated) && await IsLastAdminAsync(ct).ConfigureAwait(false))
        {
            return UserAccountResult.Invalid("Cannot remove the last admin user");
        }
        if (!await users.UpdateProfileAsync(updated, ct).ConfigureAwait(false))
        {
            return UserAccountResult.Conflict();
        }
        if (password is not null)
        {
            var (hash, salt) = hasher.Hash(password);
            await users.SetPasswordAsync(userId, hash, salt, ct).ConfigureAwait(false);
        }
        await RevokeAsync(userId, sessionsToo: password is not null || !updated.IsActive || updated.Role != user.Role,
            devicesToo: password is not null || !updated.IsActive, ct).ConfigureAwait(false);
        return UserAccountResult.Ok(await users.GetAsync(userId, ct).ConfigureAwait(false));
    }

    public async Task<UserAccountResult> DeleteAsync(Caller caller, long userId, CancellationToken ct)
    {
        if (caller.UserId == userId)
        {
            return UserAccountResult.Forbidden("Forbidden: You cannot delete yourself");
        }
        if (await users.GetAsync(userId, ct).ConfigureAwait(false) is not { } user)
        {
            return UserAccountResult.NotFound();
        }
        if (IsActiveAdmin(user) && await IsLastAdminAsync(ct).ConfigureAwait(false))
        {
            return UserAccountResult.Invalid("Cannot delete the last admin user");
        }
        await users.DeleteAsync(userId, ct).ConfigureAwait(false);
        return UserAccountResult.Ok(user);
    }

    /// <summary>
    /// Sets a new password. A non-admin needs the current one and an unlocked account; every session and trusted
    /// device of the user ends.
    /// </summary>
    public async Task<UserAccountResult> ChangePasswordAsync(Caller caller, long userId, string? newPassword, string? oldPassword,
        CancellationToken ct)
    {
        if (string.IsNullOrEmpty(newPassword))
        {
            return UserAccountResult.Invalid("New password is required");
        }
        if (PasswordProblem(newPassword) is { } problem)
        {
            return UserAccountResult.Invalid(problem);
        }
        if (await users.GetAsync(userId, ct).ConfigureAwait(false) is not { } user)
        {
            return UserAccountResult.NotFound();
        }
        if (!caller.IsAdmin && OwnPasswordProblem(user, oldPassword) is { } refusal)
        {
            return refusal;
        }
        var (hash, salt) = hasher.Hash(newPassword);
        await users.SetPasswordAsync(userId, hash, salt, ct).ConfigureAwait(false);
        await RevokeAsync(userId, sessionsToo: true, devicesToo: true, ct).ConfigureAwait(false);
        return UserAccountResult.Ok(user);
    }

    private UserAccountResult? OwnPasswordProblem(UserRecord user, string? oldPassword) =>
        user.PasswordChangeLocked ? UserAccountResult.Forbidden("Password changes are locked for this user")
        : string.IsNullOrEmpty(oldPassword) ? UserAccountResult.Invalid("Current password is required")
        : !hasher.Verify(oldPassword, user.PasswordHash, user.Salt, out _) ? UserAccountResult.WrongPassword()
        : null;

    private static string? PasswordProblem(string password) =>
        password.Length is < MinPasswordLength or > MaxPasswordLength ? "Password must be at least 8 characters" : null;

    /// <summary>The checks a created or updated profile passes, in the order the API reports them.</summary>
    private static string? ProfileProblem(string username, string? password, string? cidrs) =>
        UsernameRule.Problem(username)
        ?? (password is null ? null : PasswordProblem(password))
        ?? (cidrs is not null && !LoginCidrs.IsValid(cidrs)
            ? "allowed_login_cidrs must contain valid IPv4/IPv6 CIDR entries or single IP addresses" : null);

    private static bool IsActiveAdmin(UserRecord user) => user is { Role: Role.Admin, IsActive: true };

    private async Task<bool> IsLastAdminAsync(CancellationToken ct) =>
        await users.CountActiveAdminsAsync(ct).ConfigureAwait(false) <= 1;

    private async Task RevokeAsync(long userId, bool sessionsToo, bool devicesToo, CancellationToken ct)
    {
        if (sessionsToo)
        {
            await sessions.DeleteForUserAsync(userId, ct).ConfigureAwait(false);
        }
        if (devicesToo)
        {
            await devices.DeleteForUserAsync(userId, ct).ConfigureAwait(false);
        }
    }
}
