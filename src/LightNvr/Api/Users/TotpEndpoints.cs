using System.Text.Json.Nodes;
using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Data;

namespace LightNvr.Api.Users;

/// <summary>
/// TOTP second factor (lightnvr-api.md §1 "TOTP"): the second login step and the per-user setup, verify, disable
/// and status endpoints (self or admin). Unlike upstream, disable and a setup over an enabled TOTP need the current
/// code or the caller's password (<see cref="ReauthenticateAsync"/>). Pending logins live in memory (<see cref="PendingMfaLogins"/>), not in
/// the sessions table. "Remember this device" is <see cref="TrustedDevices"/>.
/// </summary>
public static class TotpEndpoints
{
    public const string Issuer = "LightNVR";
    /// <summary>Longest TOTP token or code read from a body.</summary>
    private const int MaxFieldLength = 128;

    public static IEndpointRouteBuilder MapTotpEndpoints(this IEndpointRouteBuilder app)
    {
        var totp = app.MapGroup("/api/auth/users/{id}/totp").RequireAuthorization(Policies.Viewer).WithMetadata(StreamScope.None);
        totp.MapPost("/setup", SetupAsync);
        totp.MapPost("/verify", VerifyAsync);
        totp.MapPost("/disable", DisableAsync);
        totp.MapGet("/status", StatusAsync);
        return app;
    }

    public static async Task<IResult> LoginTotpAsync(HttpContext context, WebLogins logins)
    {
        var (body, error) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return error!;
        }
        var f = new RequestFields(body);
        var token = f.String("totp_token", MaxFieldLength);
        var code = f.String("code", MaxFieldLength);
        var remember = f.Bool("remember_device") ?? false;
        if (f.Error is not null || string.IsNullOrEmpty(token) || string.IsNullOrEmpty(code))
        {
            return ApiErrors.BadRequest("Missing 'totp_token' or 'code'");
        }
        var result = await logins.SecondStepAsync(context, token, code, remember).ConfigureAwait(false);
        return AuthEndpoints.JsonLoginReply(context, result);
    }

    private static async Task<(UserRecord? User, IResult? Error)> TargetAsync(string id, HttpContext context, UserStore users)
    {
        if (UserEndpoints.ParseId(id) is not { } userId)
        {
            return (null, ApiErrors.BadRequest("Invalid user ID in path"));
        }
        var caller = Caller.From(context.User)!;
        if (!caller.IsAdmin && caller.UserId != userId)
        {
            return (null, ApiErrors.Forbidden("Forbidden: Can only manage your own MFA"));
        }
        var user = await users.GetAsync(userId, context.RequestAborted).ConfigureAwait(false);
        return user is null ? (null, ApiErrors.NotFound("User not found")) : (user, null);
    }

    /// <summary>
    /// Proof beyond the session before TOTP is turned off or an enabled secret replaced (a stolen cookie or an unattended
    /// browser must not remove the second factor): the target's current <c>code</c>, or the <c>password</c> of the
    /// signed-in account (an admin acting for another user gives their own). A wrong answer counts towards the login
    /// lockout of the signed-in account. Null when proven; 403, not 401, when wrong (the UI sends a 401 to the login page).
    /// </summary>
    private static async Task<IResult?> ReauthenticateAsync(UserRecord target, HttpContext context, WebLogins logins)
    {
        if (context.Request.ContentLength == 0)
        {
            return ProofRequired(); // upstream's clients send no body here
        }
        var (body, bodyError) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return bodyError;
        }
        var f = new RequestFields(body);
        var code = f.String("code", MaxFieldLength);
        var password = f.String("password", LoginRequest.MaxFieldLength);
        if (f.Error is { } fieldError)
        {
            return ApiErrors.BadRequest(fieldError);
        }
        if (string.IsNullOrEmpty(code) && string.IsNullOrEmpty(password))
        {
            return ProofRequired();
        }
        var result = await logins.ReauthenticateAsync(context, Caller.From(context.User)!, target, code, password).ConfigureAwait(false);
        return result.Outcome switch
        {
            LoginOutcome.Accepted => null,
            LoginOutcome.RateLimited => ApiErrors.TooManyLogins(context, result.Wait),
            _ => ApiErrors.Forbidden("Current TOTP code or password is incorrect"),
        };
    }

    private static IResult ProofRequired() => ApiErrors.BadRequest("The current TOTP 'code' or your 'password' is required");

    private static async Task<IResult> SetupAsync(string id, HttpContext context, UserStore users, WebLogins logins)
    {
        var (user, error) = await TargetAsync(id, context, users).ConfigureAwait(false);
        if (user is null)
        {
            return error!;
        }
        if (user.TotpEnabled && await ReauthenticateAsync(user, context, logins).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }
        var secret = Totp.NewSecret();
        await users.SetTotpAsync(user.Id, secret, enabled: false, context.RequestAborted).ConfigureAwait(false);
        return JsonReply.Ok(new JsonObject
        {
            ["success"] = true, ["secret"] = secret, ["otpauth_uri"] = Totp.OtpauthUri(Issuer, user.Username, secret),
            ["message"] = "Add this secret to your authenticator app, then verify a code to enable TOTP MFA",
        });
    }

    private static async Task<IResult> VerifyAsync(string id, HttpContext context, UserStore users, Totp totp)
    {
        var (user, error) = await TargetAsync(id, context, users).ConfigureAwait(false);
        if (user is null)
        {
            return error!;
        }
        var (body, bodyError) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return bodyError!;
        }
        var f = new RequestFields(body);
        var code = f.String("code", MaxFieldLength);
        if (f.Error is not null || string.IsNullOrEmpty(code))
        {
            return ApiErrors.BadRequest("Missing or invalid 'code' field");
        }
        if (user.TotpSecret is not { } secret)
        {
            return ApiErrors.BadRequest("TOTP not set up for this user. Run setup first.");
        }
        if (!totp.Verify(user.Id, secret, code))
        {
            return ApiErrors.Unauthorized("Invalid TOTP code");
        }
        await users.SetTotpAsync(user.Id, secret, enabled: true, context.RequestAborted).ConfigureAwait(false);
        return JsonReply.Ok(new JsonObject { ["success"] = true, ["message"] = "TOTP MFA enabled successfully" });
    }

    private static async Task<IResult> DisableAsync(string id, HttpContext context, UserStore users, TrustedDeviceStore devices,
        WebLogins logins)
    {
        var (user, error) = await TargetAsync(id, context, users).ConfigureAwait(false);
        if (user is null)
        {
            return error!;
        }
        if (await ReauthenticateAsync(user, context, logins).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }
        await users.SetTotpAsync(user.Id, null, enabled: false, context.RequestAborted).ConfigureAwait(false);
        await devices.DeleteForUserAsync(user.Id, context.RequestAborted).ConfigureAwait(false);
        return JsonReply.Ok(new JsonObject { ["success"] = true, ["message"] = "TOTP MFA disabled successfully" });
    }

    private static async Task<IResult> StatusAsync(string id, HttpContext context, UserStore users)
    {
        var (user, error) = await TargetAsync(id, context, users).ConfigureAwait(false);
        return user is null
            ? error!
            : JsonReply.Ok(new JsonObject { ["totp_enabled"] = user.TotpEnabled, ["totp_configured"] = user.TotpSecret is not null });
    }
}
