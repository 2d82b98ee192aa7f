namespace LightNvr.Auth;

/// <summary>How a login step (<see cref="WebLogins"/>) ended; the login endpoints map each to a JSON answer or a redirect.</summary>
public enum LoginOutcome
{
    /// <summary>Every factor passed (for a login: the session cookie is set).</summary>
    Accepted,
    /// <summary>Too many failures for this user or address: retry after <see cref="LoginResult.Wait"/>.</summary>
    RateLimited,
    /// <summary>Wrong user, password or login address (or a code missing where MFA is forced).</summary>
    InvalidCredentials,
    /// <summary>The password passed and a TOTP code is due: the client sends it with <see cref="LoginResult.TotpToken"/>.</summary>
    TotpRequired,
    /// <summary>A form login of a user with TOTP: forms cannot do the second step (unlike upstream, it is not skipped).</summary>
    FormNeedsTotp,
    /// <summary>The TOTP code (or, when re-authenticating, the code or password) is wrong.</summary>
    InvalidTotp,
    /// <summary>The second step's token is unknown or expired, or its user is gone or inactive.</summary>
    ExpiredMfaToken,
    /// <summary>The second step for a user without TOTP.</summary>
    TotpNotEnabled,
}
