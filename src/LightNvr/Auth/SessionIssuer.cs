using LightNvr.Config;
using LightNvr.Data;
using Microsoft.AspNetCore.Http;

namespace LightNvr.Auth;

/// <summary>
/// Login sessions: a random token goes to the browser as the <c>session</c> cookie, its SHA-256 into sessions.token.
/// Idle expiry ([web] auth_timeout_hours) moves forward on each use; absolute expiry (auth_absolute_timeout_hours)
/// never moves. Time comes from the injected TimeProvider.
/// </summary>
public sealed class SessionIssuer(SessionStore sessions, ConfigSection<WebOptions> web, TimeProvider time)
{
    public const string CookieName = "session";

    /// <summary>
    /// A session's idle expiry is written at most once a minute: every request re-reads the row, but a page load of
    /// thirty requests must not be thirty writes to an SD card. Idle expiry is therefore exact to within a minute.
    /// </summary>
    public const int MaxTouchIntervalSeconds = 60;

    /// <summary>Longest user-agent string kept in a session row.</summary>
    public const int MaxUserAgentLength = 256;

    private TimeSpan Idle => TimeSpan.FromHours(Math.Max(1, web.Current.AuthTimeoutHours));
    private TimeSpan Absolute => TimeSpan.FromHours(Math.Max(1, web.Current.AuthAbsoluteTimeoutHours));

    public async Task<(string Token, long SessionId)> CreateAsync(long userId, string ipAddress, string userAgent,
        CancellationToken ct = default)
    {
        var token = SecretTokens.New(SecretTokens.SessionTokenLength);
        var now = time.GetUtcNow();
        var absolute = now + Absolute;
        var idle = now + Idle < absolute ? now + Idle : absolute;
        var agent = userAgent.Length > MaxUserAgentLength ? userAgent[..MaxUserAgentLength] : userAgent;
        var id = await sessions.CreateAsync(userId, SecretTokens.Hash(token), now.ToUnixTimeSeconds(), idle.ToUnixTimeSeconds(),
            absolute.ToUnixTimeSeconds(), ipAddress, agent, ct).ConfigureAwait(false);
        return (token, id);
    }

    /// <summary>The live session for a cookie value, its idle expiry refreshed; null when unknown or expired.</summary>
    public async Task<SessionRecord?> ValidateAsync(string token, CancellationToken ct = default)
    {
        if (token.Length is 0 or > 128)
        {
            return null;
        }
        var now = time.GetUtcNow();
        var session = await sessions.FindValidAsync(SecretTokens.Hash(token), now.ToUnixTimeSeconds(), ct).ConfigureAwait(false);
        if (session is not null && now.ToUnixTimeSeconds() - session.LastActivityAt >= MaxTouchIntervalSeconds)
        {
            await sessions.TouchAsync(session.Id, now.ToUnixTimeSeconds(), (now + Idle).ToUnixTimeSeconds(), ct).ConfigureAwait(false);
        }
        return session;
    }

    public Task RevokeAsync(string token, CancellationToken ct = default) =>
        sessions.DeleteByTokenHashAsync(SecretTokens.Hash(token), ct);

    public void AppendCookie(HttpContext context, string token) =>
        context.Response.Cookies.Append(CookieName, token, new CookieOptions
        {
            Path = "/",
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            MaxAge = Absolute,
        });

    public static void ClearCookie(HttpContext context) =>
        context.Response.Cookies.Append(CookieName, "", new CookieOptions
        {
            Path = "/",
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            MaxAge = TimeSpan.Zero,
        });
}
