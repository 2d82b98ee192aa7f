using System.Globalization;
using System.Text.Json.Nodes;
using LightNvr.Auth;
using LightNvr.Config;
using LightNvr.Data;

namespace LightNvr.Api;

/// <summary>
/// /api/auth: login, logout, verify, login page config and the caller's own sessions (lightnvr-api.md §1).
/// User administration is in <see cref="UserEndpoints"/>, mapped from here.
/// </summary>
public static class AuthEndpoints
{
    public const string LoginRedirect = "/index.html";
    public const string LogoutRedirect = "/login.html?logout=true";

    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithMetadata(StreamScope.None);
        auth.MapGet("/login/config", LoginConfig).AllowAnonymous();
        auth.MapPost("/login", LoginAsync).AllowAnonymous();
        auth.MapPost("/login/totp", TotpEndpoints.LoginTotpAsync).AllowAnonymous();
        auth.MapPost("/logout", LogoutAsync).AllowAnonymous();
        app.MapGet("/logout", LogoutAsync).AllowAnonymous().WithMetadata(StreamScope.None);
        auth.MapGet("/verify", Verify).AllowAnonymous();
        auth.MapPost("/login-lockout/clear", ClearAddressLockoutAsync).RequireAuthorization(Policies.Admin)
            .WithMetadata(AuthMessages.AdminOnly);
        auth.MapGet("/sessions", ListSessionsAsync).RequireAuthorization(Policies.Viewer);
        auth.MapDelete("/sessions/{id}", DeleteSessionAsync).RequireAuthorization(Policies.Viewer);
        app.MapUserEndpoints();
        app.MapTotpEndpoints();
        app.MapTrustedDeviceEndpoints();
        return app;
    }

    private static IResult LoginConfig(LightNvrConfig config) => JsonReply.Ok(new JsonObject
    {
        ["force_mfa_on_login"] = config.Web.ForceMfaOnLogin,
        ["remember_device_enabled"] = config.Web.TrustedDeviceDays > 0,
        ["auth_timeout_hours"] = config.Web.AuthTimeoutHours,
        ["auth_absolute_timeout_hours"] = config.Web.AuthAbsoluteTimeoutHours,
        ["trusted_device_days"] = config.Web.TrustedDeviceDays,
    });

    /// <summary>Longest IPv6 text form (45 characters) with room to spare.</summary>
    private const int MaxAddressLength = 64;

    private static async Task<IResult> LoginAsync(HttpContext context, CredentialVerifier verifier, LoginRateLimiter limiter,
        SessionIssuer sessions, UserStore users, Totp totp, PendingMfaLogins pending, TrustedDevices devices, LightNvrConfig config)
    {
        var request = await LoginRequest.ReadAsync(context.Request).ConfigureAwait(false);
        if (request.Refusal is { } refusal)
        {
            return refusal;
        }
        if (request.Error is { } error)
        {
            return request.IsForm ? Results.Redirect("/login.html?error=1") : ApiErrors.BadRequest(error);
        }

        var ip = ClientAddress.Text(context);
        if (limiter.RetryAfter(LoginChannel.Web, request.Username, ip) is { } wait)
        {
            return request.IsForm ? Results.Redirect("/login.html?error=rate_limited") : ApiErrors.TooManyLogins(context, wait);
        }

        var user = await verifier.VerifyPasswordAsync(request.Username, request.Password, context.RequestAborted).ConfigureAwait(false);
        if (user is null || !LoginCidrs.Allows(user.AllowedLoginCidrs, ClientAddress.Of(context)))
        {
            limiter.RecordFailure(LoginChannel.Web, request.Username, ip);
            return request.IsForm ? Results.Redirect("/login.html?error=1") : ApiErrors.Unauthorized("Invalid credentials");
        }

        if (user is { TotpEnabled: true, TotpSecret: { } secret }
            && (request.IsForm || !await devices.IsTrustedAsync(context, user.Id).ConfigureAwait(false)))
        {
            // Unlike upstream, a form login does not skip the second factor.
            if (request.IsForm)
            {
                return Results.Redirect("/login.html?error=totp_required");
            }
            if (!string.IsNullOrEmpty(request.TotpCode))
            {
                if (!totp.Verify(user.Id, secret, request.TotpCode))
                {
                    limiter.RecordFailure(LoginChannel.Web, request.Username, ip);
                    return ApiErrors.Unauthorized("Invalid TOTP code");
                }
                if (request.RememberDevice)
                {
                    await devices.RememberAsync(context, user.Id).ConfigureAwait(false);
                }
            }
            else if (config.Web.ForceMfaOnLogin)
            {
                return ApiErrors.Unauthorized("Invalid credentials");
            }
            else
            {
                return JsonReply.Ok(new JsonObject { ["totp_required"] = true, ["totp_token"] = pending.Create(user.Id) });
            }
        }

        await CompleteLoginAsync(context, user.Id, request.Username, limiter, sessions, users).ConfigureAwait(false);
        return request.IsForm
            ? Results.Redirect(LoginRedirect)
            : JsonReply.Ok(new JsonObject { ["success"] = true, ["redirect"] = LoginRedirect });
    }

    /// <summary>Issues the session cookie of a login that passed every factor.</summary>
    public static async Task CompleteLoginAsync(HttpContext context, long userId, string username, LoginRateLimiter limiter,
        SessionIssuer sessions, UserStore users)
    {
        limiter.RecordSuccess(LoginChannel.Web, username, ClientAddress.Text(context));
        var (token, _) = await sessions.CreateAsync(userId, ClientAddress.Text(context), context.Request.Headers.UserAgent.ToString(),
            context.RequestAborted).ConfigureAwait(false);
        await users.TouchLastLoginAsync(userId, context.RequestAborted).ConfigureAwait(false);
        sessions.AppendCookie(context, token);
    }

    /// <summary>Admin: forgets the failed logins of an address (<c>{"address":"…"}</c>), every user and channel.</summary>
    private static async Task<IResult> ClearAddressLockoutAsync(HttpContext context, LoginRateLimiter limiter)
    {
        var (body, error) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return error!;
        }
        var f = new RequestFields(body);
        var address = f.String("address", MaxAddressLength);
        if (f.Error is not null || string.IsNullOrWhiteSpace(address) || !global::System.Net.IPAddress.TryParse(address, out var ip))
        {
            return ApiErrors.BadRequest(f.Error ?? "Field 'address' must be an IPv4 or IPv6 address");
        }
        var cleared = limiter.ClearAddress(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4().ToString() : ip.ToString());
        return JsonReply.Ok(new JsonObject
        {
            ["success"] = true, ["cleared"] = cleared,
            ["message"] = cleared ? "Login lockout cleared successfully" : "No active login lockout found",
        });
    }

    private static async Task<IResult> LogoutAsync(HttpContext context, SessionIssuer sessions)
    {
        if (context.Request.Cookies.TryGetValue(SessionIssuer.CookieName, out var token) && !string.IsNullOrEmpty(token))
        {
            await sessions.RevokeAsync(token, context.RequestAborted).ConfigureAwait(false);
        }
        SessionIssuer.ClearCookie(context);
        context.Response.Cookies.Append(TrustedDevices.CookieName, "", new CookieOptions { Path = "/", HttpOnly = true, MaxAge = TimeSpan.Zero });
        var wantsJson = context.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase)
            || context.Request.Headers.ContainsKey("X-Requested-With");
        return wantsJson
            ? JsonReply.Ok(new JsonObject { ["success"] = true, ["redirect"] = LogoutRedirect })
            : Results.Redirect(LogoutRedirect);
    }

    private static async Task<IResult> Verify(HttpContext context, LightNvrConfig config, UserStore users)
    {
        var web = config.Web;
        var caller = Caller.From(context.User);
        if (!web.AuthEnabled)
        {
            return JsonReply.Ok(new JsonObject
            {
                ["authenticated"] = true, ["username"] = "admin", ["role"] = "admin", ["auth_enabled"] = false,
                ["auth_timeout_hours"] = web.AuthTimeoutHours, ["auth_absolute_timeout_hours"] = web.AuthAbsoluteTimeoutHours,
                ["trusted_device_days"] = web.TrustedDeviceDays,
            });
        }
        if (caller is { IsDemo: true })
        {
            return JsonReply.Ok(new JsonObject
            {
                ["authenticated"] = false, ["demo_mode"] = true, ["username"] = "demo", ["role"] = "viewer",
            });
        }
        var user = caller is null ? null : await users.GetAsync(caller.UserId, context.RequestAborted).ConfigureAwait(false);
        if (user is null)
        {
            SessionIssuer.ClearCookie(context);
            return ApiErrors.Unauthorized();
        }
        return JsonReply.Ok(new JsonObject
        {
            ["authenticated"] = true, ["id"] = user.Id, ["username"] = user.Username, ["email"] = user.Email,
            ["role"] = Caller.RoleName(user.Role), ["role_id"] = (int)user.Role, ["is_active"] = user.IsActive,
            ["password_change_locked"] = user.PasswordChangeLocked, ["auth_enabled"] = true,
            ["auth_timeout_hours"] = web.AuthTimeoutHours, ["auth_absolute_timeout_hours"] = web.AuthAbsoluteTimeoutHours,
            ["trusted_device_days"] = web.TrustedDeviceDays,
        });
    }

    private static async Task<IResult> ListSessionsAsync(HttpContext context, SessionStore store, TimeProvider time)
    {
        var caller = Caller.From(context.User)!;
        var list = new JsonArray();
        foreach (var s in await store.ListForUserAsync(caller.UserId, time.GetUtcNow().ToUnixTimeSeconds(), context.RequestAborted)
                     .ConfigureAwait(false))
        {
            list.Add(new JsonObject
            {
                ["id"] = s.Id, ["created_at"] = s.CreatedAt, ["last_activity_at"] = s.LastActivityAt,
                ["idle_expires_at"] = s.IdleExpiresAt, ["expires_at"] = s.ExpiresAt, ["ip_address"] = s.IpAddress,
                ["user_agent"] = s.UserAgent, ["current"] = s.Id == caller.SessionId,
            });
        }
        return JsonReply.Ok(new JsonObject { ["sessions"] = list });
    }

    private static async Task<IResult> DeleteSessionAsync(string id, HttpContext context, SessionStore store)
    {
        var caller = Caller.From(context.User)!;
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var sessionId) || sessionId <= 0
            || !await store.DeleteOwnAsync(sessionId, caller.UserId, context.RequestAborted).ConfigureAwait(false))
        {
            return ApiErrors.NotFound("Session not found");
        }
        if (caller.SessionId == sessionId)
        {
            SessionIssuer.ClearCookie(context);
        }
        return JsonReply.Success();
    }
}
