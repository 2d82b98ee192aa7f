using LightNvr.Config;
using LightNvr.Data;

namespace LightNvr.Auth;

/// <summary>
/// The rules of a web login, once: the rate limit per user and address, the password and the user's login CIDRs, the
/// TOTP second factor (skipped on a trusted device; forced when <c>[web] force_mfa_on_login</c>), remembering the
/// device, and the session cookie at the end. Returns a <see cref="LoginResult"/>; the endpoints turn it into a JSON
/// answer or a redirect. A failed factor counts towards the lockout.
/// </summary>
public sealed class WebLogins(CredentialVerifier verifier, LoginRateLimiter limiter, SessionIssuer sessions, UserStore users,
    Totp totp, PendingMfaLogins pending, TrustedDevices devices, ConfigSnapshots config)
{
    /// <summary>The first step: user and password, and the TOTP code when the client already has it.</summary>
    public async Task<LoginResult> LoginAsync(HttpContext context, string username, string password, string? totpCode,
        bool rememberDevice, bool isForm)
    {
        var ip = ClientAddress.Text(context);
        if (limiter.RetryAfter(LoginChannel.Web, username, ip) is { } wait)
        {
            return LoginResult.Limited(wait);
        }
        var user = await verifier.VerifyPasswordAsync(username, password, context.RequestAborted).ConfigureAwait(false);
        if (user is null || !LoginCidrs.Allows(user.AllowedLoginCidrs, ClientAddress.Of(context)))
        {
            limiter.RecordFailure(LoginChannel.Web, username, ip);
            return LoginResult.InvalidCredentials;
        }
        if (user is { TotpEnabled: true, TotpSecret: { } secret }
            && (isForm || !await devices.IsTrustedAsync(context, user.Id).ConfigureAwait(false))
            && await SecondFactorAsync(context, user, secret, totpCode, rememberDevice, isForm).ConfigureAwait(false) is { } stop)
        {
            return stop;
        }
        await SignInAsync(context, user.Id, username).ConfigureAwait(false);
        return LoginResult.Accepted;
    }

    /// <summary>The second step (<c>POST /api/auth/login/totp</c>): the pending login's token and the TOTP code.</summary>
    public async Task<LoginResult> SecondStepAsync(HttpContext context, string token, string code, bool rememberDevice)
    {
        if (pending.Find(token) is not { } userId
            || await users.GetAsync(userId, context.RequestAborted).ConfigureAwait(false) is not { IsActive: true } user)
        {
            return new LoginResult(LoginOutcome.ExpiredMfaToken);
        }
        if (user is not { TotpEnabled: true, TotpSecret: { } secret })
        {
            return new LoginResult(LoginOutcome.TotpNotEnabled);
        }
        var ip = ClientAddress.Text(context);
        if (limiter.RetryAfter(LoginChannel.Web, user.Username, ip) is { } wait)
        {
            return LoginResult.Limited(wait);
        }
        if (!totp.Verify(user.Id, secret, code))
        {
            limiter.RecordFailure(LoginChannel.Web, user.Username, ip);
            return LoginResult.InvalidTotp;
        }
        pending.Remove(token);
        if (rememberDevice)
        {
            await devices.RememberAsync(context, user.Id).ConfigureAwait(false);
        }
        await SignInAsync(context, user.Id, user.Username).ConfigureAwait(false);
        return LoginResult.Accepted;
    }

    /// <summary>
    /// Proof beyond the session (before TOTP is turned off or replaced): <paramref name="target"/>'s current TOTP code,
    /// or the signed-in <paramref name="caller"/>'s password. A wrong answer counts towards the caller's lockout.
    /// </summary>
    public async Task<LoginResult> ReauthenticateAsync(HttpContext context, Caller caller, UserRecord target, string? code,
        string? password)
    {
        var ip = ClientAddress.Text(context);
        if (limiter.RetryAfter(LoginChannel.Web, caller.Username, ip) is { } wait)
        {
            return LoginResult.Limited(wait);
        }
        var proven = (!string.IsNullOrEmpty(code) && target is { TotpEnabled: true, TotpSecret: { } secret }
                && totp.Verify(target.Id, secret, code))
            || (!string.IsNullOrEmpty(password)
                && await verifier.VerifyPasswordAsync(caller.Username, password, context.RequestAborted).ConfigureAwait(false) is not null);
        if (!proven)
        {
            limiter.RecordFailure(LoginChannel.Web, caller.Username, ip);
            return LoginResult.InvalidTotp;
        }
        return LoginResult.Accepted;
    }

    /// <summary>Null when the second factor passed; else where the login stops.</summary>
    private async Task<LoginResult?> SecondFactorAsync(HttpContext context, UserRecord user, string secret, string? code,
        bool rememberDevice, bool isForm)
    {
        if (isForm)
        {
            return new LoginResult(LoginOutcome.FormNeedsTotp);
        }
        if (string.IsNullOrEmpty(code))
        {
            return config.Current.Web.ForceMfaOnLogin
                ? LoginResult.InvalidCredentials
                : new LoginResult(LoginOutcome.TotpRequired, TotpToken: pending.Create(user.Id));
        }
        if (!totp.Verify(user.Id, secret, code))
        {
            limiter.RecordFailure(LoginChannel.Web, user.Username, ClientAddress.Text(context));
            return LoginResult.InvalidTotp;
        }
        if (rememberDevice)
        {
            await devices.RememberAsync(context, user.Id).ConfigureAwait(false);
        }
        return null;
    }

    /// <summary>Issues the session cookie of a login that passed every factor.</summary>
    private async Task SignInAsync(HttpContext context, long userId, string username)
    {
        limiter.RecordSuccess(LoginChannel.Web, username, ClientAddress.Text(context));
        var (token, _) = await sessions.CreateAsync(userId, ClientAddress.Text(context), context.Request.Headers.UserAgent.ToString(),
            context.RequestAborted).ConfigureAwait(false);
        await users.TouchLastLoginAsync(userId, context.RequestAborted).ConfigureAwait(false);
        sessions.AppendCookie(context, token);
    }
}
