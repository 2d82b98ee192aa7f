using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LightNvr.Auth;

/// <summary>
/// Resolves the caller, in upstream's order: session cookie, HTTP Basic, API key (X-API-Key, then Bearer). With
/// [web] auth_enabled = false every request is the admin; with demo_mode an anonymous request is the viewer "demo".
/// Refusals are JSON: 401 with no or bad credentials, 403 with a role that does not suffice (messages from the
/// endpoint's <see cref="AuthMessages"/>).
/// </summary>
public sealed class LightNvrAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ConfigSection<WebOptions> web,
    SessionIssuer sessions,
    CredentialVerifier verifier,
    LoginRateLimiter rateLimiter,
    UserStore users) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "LightNvr";

    /// <summary>HttpContext item set when Basic credentials were refused by the rate limiter (the wait, a TimeSpan).</summary>
    private const string RetryAfterItem = "lightnvr:retry_after";

    /// <summary>Longest API key accepted for lookup; ours are 32 characters.</summary>
    private const int MaxApiKeyLength = 256;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!web.Current.AuthEnabled)
        {
            return Success(new Caller(0, "admin", Role.Admin, Caller.FromAuthDisabled, null, null));
        }

        var ct = Context.RequestAborted;
        if (Request.Cookies.TryGetValue(SessionIssuer.CookieName, out var token) && !string.IsNullOrEmpty(token))
        {
            var session = await sessions.ValidateAsync(token, ct).ConfigureAwait(false);
            if (session is not null && await users.GetAsync(session.UserId, ct).ConfigureAwait(false) is { IsActive: true } user
                && LoginCidrs.Allows(user.AllowedLoginCidrs, ClientAddress.Of(Context)))
            {
                return Success(ToCaller(user, Caller.FromSession, session.Id));
            }
        }

        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return await BasicAsync(authorization["Basic ".Length..].Trim(), ct).ConfigureAwait(false);
        }

        var apiKey = Request.Headers["X-API-Key"].ToString().Trim();
        if (apiKey.Length == 0 && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            apiKey = authorization["Bearer ".Length..].Trim();
            if (web.Current.MetricsToken.Length > 0 && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.UTF8.GetBytes(apiKey), System.Text.Encoding.UTF8.GetBytes(web.Current.MetricsToken)))
            {
                return AuthenticateResult.NoResult(); // Prometheus' scrape token: no user, checked by /api/metrics itself
            }
        }
        if (apiKey.Length is > 0 and <= MaxApiKeyLength)
        {
            var user = await users.GetByApiKeyHashAsync(SecretTokens.Hash(apiKey), ct).ConfigureAwait(false);
            return user is { IsActive: true } && LoginCidrs.Allows(user.AllowedLoginCidrs, ClientAddress.Of(Context))
                ? Success(ToCaller(user, Caller.FromApiKey, null))
                : AuthenticateResult.Fail("Invalid API key");
        }

        if (web.Current.DemoMode)
        {
            return Success(new Caller(0, "demo", Role.Viewer, Caller.FromDemo, null, null));
        }
        return AuthenticateResult.NoResult();
    }

    private async Task<AuthenticateResult> BasicAsync(string encoded, CancellationToken ct)
    {
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }
        catch (FormatException)
        {
            return AuthenticateResult.Fail("Malformed Basic credentials");
        }
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == decoded.Length - 1)
        {
            return AuthenticateResult.Fail("Malformed Basic credentials");
        }
        var (username, password) = (decoded[..colon], decoded[(colon + 1)..]);
        var ip = ClientAddress.Text(Context);
        if (rateLimiter.RetryAfter(LoginChannel.Web, username, ip) is { } wait)
        {
            // Answered 429 with Retry-After by the challenge, not a 401 that reads as "wrong password".
            Context.Items[RetryAfterItem] = wait;
            return AuthenticateResult.Fail("Too many login attempts");
        }
        var user = await verifier.VerifyBasicAsync(username, password, ct).ConfigureAwait(false);
        if (user is null || !LoginCidrs.Allows(user.AllowedLoginCidrs, ClientAddress.Of(Context)))
        {
            rateLimiter.RecordFailure(LoginChannel.Web, username, ip);
            return AuthenticateResult.Fail("Invalid credentials");
        }
        return Success(ToCaller(user, Caller.FromBasic, null));
    }

    private static Caller ToCaller(UserRecord user, string source, long? sessionId) =>
        new(user.Id, user.Username, user.Role, source, sessionId, user.AllowedTags);

    private AuthenticateResult Success(Caller caller) =>
        AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(SchemeName), SchemeName));

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[RetryAfterItem] is TimeSpan wait)
        {
            Response.Headers.RetryAfter = RetryAfterSeconds(wait);
            return WriteErrorAsync(StatusCodes.Status429TooManyRequests, TooManyLoginsMessage(wait));
        }
        return WriteErrorAsync(StatusCodes.Status401Unauthorized, Messages().Unauthorized);
    }

    /// <summary>
    /// Middleware after authentication: Basic credentials the rate limiter refused are answered 429 with Retry-After on
    /// every route, also where anonymous callers are let in (<c>/api/auth/verify</c>, <c>/api/metrics</c>), which would
    /// otherwise answer the right password with a 401 that reads as "wrong password".
    /// </summary>
    public static Task RefuseRateLimitedAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Items[RetryAfterItem] is not TimeSpan wait)
        {
            return next(context);
        }
        context.Response.Headers.RetryAfter = RetryAfterSeconds(wait);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new ErrorBody(TooManyLoginsMessage(wait)), ApiJsonContext.Default.ErrorBody));
    }

    /// <summary>The Retry-After value (whole seconds, rounded up) for a wait.</summary>
    public static string RetryAfterSeconds(TimeSpan wait) =>
        ((long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string TooManyLoginsMessage(TimeSpan wait) =>
        $"Too many failed login attempts; try again in {RetryAfterSeconds(wait)} s";

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteErrorAsync(StatusCodes.Status403Forbidden, Messages().Forbidden);

    private AuthMessages Messages() => Context.GetEndpoint()?.Metadata.GetMetadata<AuthMessages>() ?? AuthMessages.Default;

    private Task WriteErrorAsync(int status, string message)
    {
        Response.StatusCode = status;
        Response.ContentType = "application/json";
        return Response.WriteAsync(JsonSerializer.Serialize(new ErrorBody(message), ApiJsonContext.Default.ErrorBody));
    }
}
