using System.Text.Json.Nodes;
using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Data;

namespace LightNvr.Api.Users;

/// <summary>
/// The user endpoints a non-admin may call on their own account: profile update, password change, API key.
/// Mapped by <see cref="UserEndpoints"/>; the policy is Viewer and the self-or-admin rule is checked here.
/// </summary>
public static class UserAccountEndpoints
{
    private static readonly string[] AdminOnlyFields = ["password", "role", "is_active", "allowed_tags", "allowed_login_cidrs"];

    public static async Task<IResult> UpdateAsync(string id, HttpContext context, UserStore users, SessionStore sessions,
        TrustedDeviceStore devices, PasswordHasher hasher)
    {
        if (UserEndpoints.ParseId(id) is not { } userId)
        {
            return ApiErrors.BadRequest("Invalid user ID");
        }
        var caller = Caller.From(context.User)!;
        if (!caller.IsAdmin && caller.UserId != userId)
        {
            return ApiErrors.Forbidden("You can only update your own account");
        }
        var (body, error) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return error!;
        }
        var f = new RequestFields(body);
        // Mentions, not Has: a JSON null clears a restriction below, so naming the field at all is admin-only.
        if (!caller.IsAdmin && AdminOnlyFields.Any(f.Mentions))
        {
            return ApiErrors.Forbidden("You can only update your own username and email");
        }
        var ct = context.RequestAborted;
        if (await users.GetAsync(userId, ct).ConfigureAwait(false) is not { } user)
        {
            return ApiErrors.NotFound("User not found");
        }

        var username = f.String("username") ?? user.Username;
        var email = f.String("email", UserEndpoints.MaxEmailLength) ?? user.Email;
        var password = f.String("password");
        var role = f.Int("role", 0, 3);
        var isActive = f.Bool("is_active");
        var tags = f.IsExplicitNull("allowed_tags") ? null : f.String("allowed_tags", UserEndpoints.MaxListLength) ?? user.AllowedTags;
        var cidrs = f.IsExplicitNull("allowed_login_cidrs") ? null
            : f.String("allowed_login_cidrs", UserEndpoints.MaxListLength) ?? user.AllowedLoginCidrs;
        if (f.Error is { } fieldError)
        {
            return ApiErrors.BadRequest(fieldError.StartsWith("Field 'role'", StringComparison.Ordinal) ? "Invalid role" : fieldError);
        }
        if (UserEndpoints.UsernameProblem(username) is { } problem)
        {
            return ApiErrors.BadRequest(problem);
        }
        if (!string.IsNullOrEmpty(password) && password.Length is < UserEndpoints.MinPasswordLength or > UserEndpoints.MaxPasswordLength)
        {
            return ApiErrors.BadRequest("Password must be at least 8 characters");
        }
        if (cidrs is not null && !LoginCidrs.IsValid(cidrs))
        {
            return ApiErrors.BadRequest("allowed_login_cidrs must contain valid IPv4/IPv6 CIDR entries or single IP addresses");
        }
        var updated = user with
        {
            Username = username, Email = email, Role = role is { } r ? (Role)r : user.Role, IsActive = isActive ?? user.IsActive,
            AllowedTags = string.IsNullOrWhiteSpace(tags) ? null : tags, AllowedLoginCidrs = cidrs,
        };
        if (user is { Role: Role.Admin, IsActive: true } && (updated.Role != Role.Admin || !updated.IsActive)
            && await users.CountActiveAdminsAsync(ct).ConfigureAwait(false) <= 1)
        {
            return ApiErrors.BadRequest("Cannot remove the last admin user");
        }
        if (!await users.UpdateProfileAsync(updated, ct).ConfigureAwait(false))
        {
            return ApiErrors.Conflict("Username already exists");
        }
        if (!string.IsNullOrEmpty(password))
        {
            var (hash, salt) = hasher.Hash(password);
            await users.SetPasswordAsync(userId, hash, salt, ct).ConfigureAwait(false);
        }
        if (!string.IsNullOrEmpty(password) || !updated.IsActive || updated.Role != user.Role)
        {
            await sessions.DeleteForUserAsync(userId, ct).ConfigureAwait(false);
        }
        if (!string.IsNullOrEmpty(password) || !updated.IsActive)
        {
            await devices.DeleteForUserAsync(userId, ct).ConfigureAwait(false);
        }
        return JsonReply.Ok(UserEndpoints.ToJson((await users.GetAsync(userId, ct).ConfigureAwait(false))!));
    }

    public static async Task<IResult> ChangePasswordAsync(string id, HttpContext context, UserStore users, SessionStore sessions,
        TrustedDeviceStore devices, PasswordHasher hasher)
    {
        if (UserEndpoints.ParseId(id) is not { } userId)
        {
            return ApiErrors.BadRequest("Invalid user ID");
        }
        var caller = Caller.From(context.User)!;
        if (!caller.IsAdmin && caller.UserId != userId)
        {
            return ApiErrors.Forbidden("You can only change your own password");
        }
        var (body, error) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return error!;
        }
        var f = new RequestFields(body);
        var newPassword = f.String("new_password");
        var oldPassword = f.String("old_password", UserEndpoints.MaxPasswordLength);
        if (f.Error is { } fieldError)
        {
            return ApiErrors.BadRequest(fieldError);
        }
        if (string.IsNullOrEmpty(newPassword))
        {
            return ApiErrors.BadRequest("New password is required");
        }
        if (newPassword.Length is < UserEndpoints.MinPasswordLength or > UserEndpoints.MaxPasswordLength)
        {
            return ApiErrors.BadRequest("Password must be at least 8 characters");
        }
        var ct = context.RequestAborted;
        if (await users.GetAsync(userId, ct).ConfigureAwait(false) is not { } user)
        {
            return ApiErrors.NotFound("User not found");
        }
        if (!caller.IsAdmin)
        {
            if (user.PasswordChangeLocked)
            {
                return ApiErrors.Forbidden("Password changes are locked for this user");
            }
            if (string.IsNullOrEmpty(oldPassword))
            {
                return ApiErrors.BadRequest("Current password is required");
            }
            if (!hasher.Verify(oldPassword, user.PasswordHash, user.Salt, out _))
            {
                return ApiErrors.Unauthorized("Current password is incorrect");
            }
        }
        var (hash, salt) = hasher.Hash(newPassword);
        await users.SetPasswordAsync(userId, hash, salt, ct).ConfigureAwait(false);
        await sessions.DeleteForUserAsync(userId, ct).ConfigureAwait(false);
        await devices.DeleteForUserAsync(userId, ct).ConfigureAwait(false);
        return JsonReply.Success();
    }

    public static async Task<IResult> NewApiKeyAsync(string id, HttpContext context, UserStore users)
    {
        if (UserEndpoints.ParseId(id) is not { } userId)
        {
            return ApiErrors.BadRequest("Invalid user ID");
        }
        var caller = Caller.From(context.User)!;
        if (!caller.IsAdmin && !(caller.Role == Role.User && caller.UserId == userId))
        {
            return ApiErrors.Forbidden("Forbidden: You can only generate API keys for yourself unless you are an admin");
        }
        if (await users.GetAsync(userId, context.RequestAborted).ConfigureAwait(false) is null)
        {
            return ApiErrors.NotFound("User not found");
        }
        var key = SecretTokens.New(SecretTokens.ApiKeyLength);
        await users.SetApiKeyHashAsync(userId, SecretTokens.Hash(key), context.RequestAborted).ConfigureAwait(false);
        return JsonReply.Ok(new JsonObject { ["success"] = true, ["api_key"] = key });
    }
}
