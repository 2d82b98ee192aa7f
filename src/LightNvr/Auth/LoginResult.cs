namespace LightNvr.Auth;

/// <summary>The result of a login step: the outcome, the wait of a rate-limited one, the token of a pending second step.</summary>
public sealed record LoginResult(LoginOutcome Outcome, TimeSpan Wait = default, string? TotpToken = null)
{
    public static readonly LoginResult Accepted = new(LoginOutcome.Accepted);
    public static readonly LoginResult InvalidCredentials = new(LoginOutcome.InvalidCredentials);
    public static readonly LoginResult InvalidTotp = new(LoginOutcome.InvalidTotp);

    public static LoginResult Limited(TimeSpan wait) => new(LoginOutcome.RateLimited, wait);
}
