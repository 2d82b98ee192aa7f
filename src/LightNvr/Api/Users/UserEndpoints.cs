using System.Globalization;
using System.Text.Json.Nodes;
using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Data;

namespace LightNvr.Api.Users;

/// <summary>
/// /api/auth/users: user administration (lightnvr-api.md §1). Differences from upstream, on purpose: a duplicate
/// username is 409 (not 500); API keys are stored hashed, so a key is shown only in the response that creates it and
/// user objects carry <c>api_key_set</c> instead of the key; the last active admin cannot be deleted, demoted or
/// deactivated.
/// </summary>
public static class UserEndpoints
{
    public const int MinUsernameLength = 3;
    /// <summary>Upstream's limit (users.username 3–32 characters).</summary>
    public const int MaxUsernameLength = 32;
    /// <summary>Upstream's minimum password length.</summary>
    public const int MinPasswordLength = 8;
    /// <summary>Bounds PBKDF2 input; far above any passphrase.</summary>
    public const int MaxPasswordLength = 1024;
    /// <summary>Longest e-mail address (RFC 5321 §4.5.3.1.3 path limit).</summary>
    public const int MaxEmailLength = 254;
    /// <summary>Longest allowed_tags / allowed_login_cidrs text.</summary>
    public const int MaxListLength = 4096;

    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/auth/users").WithMetadata(StreamScope.None);
        users.MapGet("", ListAsync).RequireAuthorization(Policies.Admin).WithMetadata(AuthMessages.AdminOnly);
        users.MapPost("", CreateAsync).RequireAuthorization(Policies.Admin).WithMetadata(AuthMessages.AdminOnly);
        users.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.Admin).WithMetadata(AuthMessages.AdminOnly);
        users.MapPut("/{id}", UserAccountEndpoints.UpdateAsync).RequireAuthorization(Policies.Viewer);
        users.MapDelete("/{id}", DeleteAsync).RequireAuthorization(Policies.Admin)
            .WithMetadata(new AuthMessages("Unauthorized", "Forbidden: Only admins can delete users"));
        users.MapPost("/{id}/api-key", UserAccountEndpoints.NewApiKeyAsync).RequireAuthorization(Policies.Viewer);
        users.MapPut("/{id}/password", UserAccountEndpoints.ChangePasswordAsync).RequireAuthorization(Policies.Viewer);
        users.MapPut("/{id}/password-lock", PasswordLockAsync).RequireAuthorization(Policies.Admin).WithMetadata(AuthMessages.AdminOnly);
        users.MapPost("/{id}/login-lockout/clear", ClearLockoutAsync).RequireAuthorization(Policies.Admin)
            .WithMetadata(AuthMessages.AdminOnly);
        return app;
    }

    public static JsonObject ToJson(UserRecord user) => new()
    {
        ["id"] = user.Id, ["username"] = user.Username, ["email"] = user.Email, ["role"] = (int)user.Role,
        ["role_name"] = Caller.RoleName(user.Role), ["api_key_set"] = user.ApiKeyHash is not null,
        ["created_at"] = user.CreatedAt, ["updated_at"] = user.UpdatedAt, ["last_login"] = user.LastLogin,
        ["is_active"] = user.IsActive, ["password_change_locked"] = user.PasswordChangeLocked, ["totp_enabled"] = user.TotpEnabled,
        ["allowed_tags"] = user.AllowedTags, ["allowed_login_cidrs"] = user.AllowedLoginCidrs,
    };

    /// <summary>A positive numeric id from the path, else null (→ 400 Invalid user ID).</summary>
    public static long? ParseId(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : null;

    /// <summary>Checks a username's length and characters (no ':' — it would break Basic — and no control characters).</summary>
    public static string? UsernameProblem(string username) =>
        username.Length is < MinUsernameLength or > MaxUsernameLength ? "Username must be between 3 and 32 characters"
        : username.Any(c => c == ':' || char.IsControl(c)) ? "Username must not contain ':' or control characters"
        : null;

    private static async Task<IResult> ListAsync(UserStore users, CancellationToken ct)
    {
        var list = new JsonArray();
        foreach (var user in await users.ListAsync(ct).ConfigureAwait(false))
        {
            list.Add(ToJson(user));
        }
        return JsonReply.Ok(new JsonObject { ["users"] = list });
    }

    private static async Task<IResult> GetAsync(string id, UserStore users, CancellationToken ct)
    {
        if (ParseId(id) is not { } userId)
        {
            return ApiErrors.BadRequest("Invalid user ID");
        }
        return await users.GetAsync(userId, ct).ConfigureAwait(false) is { } user
            ? JsonReply.Ok(ToJson(user))
            : ApiErrors.NotFound("User not found");
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, UserStore users, PasswordHasher hasher)
    {
        var (body, error) = await RequestBody.ReadObjectAsync(request).ConfigureAwait(false);
        if (body is null)
        {
            return error!;
        }
        var f = new RequestFields(body);
        var username = f.String("username");
        var password = f.String("password");
        var email = f.String("email", MaxEmailLength) ?? "";
        var role = f.Has("role") ? f.Int("role", 0, 3) : (int)Role.User;
        var isActive = f.Bool("is_active") ?? true;
        var tags = f.String("allowed_tags", MaxListLength);
        var cidrs = f.String("allowed_login_cidrs", MaxListLength);
        if (f.Error is { } fieldError)
        {
            return ApiErrors.BadRequest(fieldError.StartsWith("Field 'role'", StringComparison.Ordinal) ? "Invalid role" : fieldError);
        }
        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password))
        {
            return ApiErrors.BadRequest("Missing required fields: username and password");
        }
        if (UsernameProblem(username) is { } problem)
        {
            return ApiErrors.BadRequest(problem);
        }
        if (password.Length is < MinPasswordLength or > MaxPasswordLength)
        {
            return ApiErrors.BadRequest("Password must be at least 8 characters");
        }
        if (cidrs is not null && !LoginCidrs.IsValid(cidrs))
        {
            return ApiErrors.BadRequest("allowed_login_cidrs must contain valid IPv4/IPv6 CIDR entries or single IP addresses");
        }

        var (hash, salt) = hasher.Hash(password);
        var id = await users.InsertAsync(new UserRecord
        {
            Username = username, PasswordHash = hash, Salt = salt, Role = (Role)role!.Value, Email = email, IsActive = isActive,
            AllowedTags = string.IsNullOrWhiteSpace(tags) ? null : tags, AllowedLoginCidrs = cidrs,
        }, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (id is null)
        {
            return ApiErrors.Conflict("Username already exists");
        }
        return JsonReply.Ok(ToJson((await users.GetAsync(id.Value, request.HttpContext.RequestAborted).ConfigureAwait(false))!));
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, UserStore users)
    {
        if (ParseId(id) is not { } userId)
        {
            return ApiErrors.BadRequest("Invalid user ID");
        }
        var caller = Caller.From(context.User)!;
        if (caller.UserId == userId)
        {
            return ApiErrors.Forbidden("Forbidden: You cannot delete yourself");
        }
        var user = await users.GetAsync(userId, context.RequestAborted).ConfigureAwait(false);
        if (user is null)
        {
            return ApiErrors.NotFound("User not found");
        }
        if (user is { Role: Role.Admin, IsActive: true } && await users.CountActiveAdminsAsync(context.RequestAborted).ConfigureAwait(false) <= 1)
        {
            return ApiErrors.BadRequest("Cannot delete the last admin user");
        }
        await users.DeleteAsync(userId, context.RequestAborted).ConfigureAwait(false);
        return JsonReply.Ok(new JsonObject { ["success"] = true, ["message"] = "User deleted successfully" });
    }

    private static async Task<IResult> PasswordLockAsync(string id, HttpRequest request, UserStore users)
    {
        if (ParseId(id) is not { } userId)
        {
            return ApiErrors.BadRequest("Invalid user ID");
        }
        var (body, error) = await RequestBody.ReadObjectAsync(request).ConfigureAwait(false);
        if (body is null)
        {
            return error!;
        }
        var f = new RequestFields(body);
        if (f.Bool("locked") is not { } locked)
        {
            return ApiErrors.BadRequest("Locked field is required and must be a boolean");
        }
        if (await users.GetAsync(userId, request.HttpContext.RequestAborted).ConfigureAwait(false) is null)
        {
            return ApiErrors.NotFound("User not found");
        }
        await users.SetPasswordLockAsync(userId, locked, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return JsonReply.Ok(ToJson((await users.GetAsync(userId, request.HttpContext.RequestAborted).ConfigureAwait(false))!));
    }

    private static async Task<IResult> ClearLockoutAsync(string id, UserStore users, LoginRateLimiter limiter, CancellationToken ct)
    {
        if (ParseId(id) is not { } userId)
        {
            return ApiErrors.BadRequest("Invalid user ID");
        }
        if (await users.GetAsync(userId, ct).ConfigureAwait(false) is not { } user)
        {
            return ApiErrors.NotFound("User not found");
        }
        var cleared = limiter.ClearUser(user.Username);
        return JsonReply.Ok(new JsonObject
        {
            ["success"] = true, ["cleared"] = cleared,
            ["message"] = cleared ? "Login lockout cleared successfully" : "No active login lockout found",
        });
    }
}
