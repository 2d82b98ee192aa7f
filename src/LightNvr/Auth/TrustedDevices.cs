using LightNvr.Config;
using LightNvr.Data;
using Microsoft.AspNetCore.Http;

namespace LightNvr.Auth;

/// <summary>
/// "Remember this device" for TOTP: after a login that verified a code with <c>remember_device</c>, the browser gets
/// a <c>trusted_device</c> cookie ([web] trusted_device_days, 0 = off) and later logins of the same user from it skip
/// the code (the password is still required). The database keeps only SHA-256 of the cookie.
/// </summary>
public sealed class TrustedDevices(TrustedDeviceStore store, ConfigSection<WebOptions> web, TimeProvider time)
{
    public const string CookieName = "trusted_device";

    public bool Enabled => web.Current.TrustedDeviceDays > 0;

    public async Task<bool> IsTrustedAsync(HttpContext context, long userId)
    {
        if (!Enabled || !context.Request.Cookies.TryGetValue(CookieName, out var token) || token is not { Length: > 0 and <= 128 })
        {
            return false;
        }
        return await store.UseAsync(userId, SecretTokens.Hash(token), time.GetUtcNow().ToUnixTimeSeconds(), context.RequestAborted)
            .ConfigureAwait(false);
    }

    public async Task RememberAsync(HttpContext context, long userId)
    {
        if (!Enabled)
        {
            return;
        }
        var token = SecretTokens.New(SecretTokens.SessionTokenLength);
        var lifetime = TimeSpan.FromDays(web.Current.TrustedDeviceDays);
        var now = time.GetUtcNow();
        var agent = context.Request.Headers.UserAgent.ToString();
        await store.CreateAsync(userId, SecretTokens.Hash(token), ClientAddress.Text(context),
            agent.Length > SessionIssuer.MaxUserAgentLength ? agent[..SessionIssuer.MaxUserAgentLength] : agent,
            now.ToUnixTimeSeconds(), (now + lifetime).ToUnixTimeSeconds(), context.RequestAborted).ConfigureAwait(false);
        context.Response.Cookies.Append(CookieName, token, new CookieOptions
        {
            Path = "/", HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, MaxAge = lifetime,
        });
    }
}
