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

    private static async Task<IResult> CreateAsync(HttpRequest request, UserAccounts accounts)
    {
        var (body, error) = await RequestBody.ReadObjectAsync(request).ConfigureAwait(false);
        if (body is null)
        {
            return error!;
        }
        var f = new RequestFields(body);
        var user = UserRequest.ReadNew(f);
        if (UserRequest.Error(f) is { } fieldError)
        {
            return ApiErrors.BadRequest(fieldError);
        }
        return UserAccountReply.User(await accounts.CreateAsync(user, request.HttpContext.RequestAborted).ConfigureAwait(false));
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, UserAccounts accounts)
    {
        if (ParseId(id) is not { } userId)
        {
            return ApiErrors.BadRequest("Invalid user ID");
        }
        var result = await accounts.DeleteAsync(Caller.From(context.User)!, userId, context.RequestAborted).ConfigureAwait(false);
        return UserAccountReply.From(result, _ => JsonReply.Ok(new JsonObject { ["success"] = true, ["message"] = "User deleted successfully" }));
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
