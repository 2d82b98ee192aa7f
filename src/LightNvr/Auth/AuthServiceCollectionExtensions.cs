using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LightNvr.Auth;

public static class AuthServiceCollectionExtensions
{
    /// <summary>
    /// Registers authentication (session cookie, Basic, API key), the three policies of <see cref="Policies"/>, the login
    /// rate limiter, password hashing (pass <paramref name="hashing"/> to lower iterations in tests) and the first-admin
    /// bootstrap. Call after AddLightNvrData.
    /// </summary>
    public static IServiceCollection AddLightNvrAuth(this IServiceCollection services, LightNvrConfig config,
        PasswordHashingOptions? hashing = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        services.TryAddSingleton(config);
        services.AddLightNvrConfigSnapshots();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(hashing ?? new PasswordHashingOptions());
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<BasicCredentialCache>();
        services.AddSingleton<CredentialVerifier>();
        services.AddSingleton<SessionIssuer>();
        services.AddSingleton<LoginRateLimiter>();
        services.AddSingleton<Totp>();
        services.AddSingleton<PendingMfaLogins>();
        services.AddSingleton<TrustedDevices>();
        services.AddSingleton<UserAccounts>();
        services.AddSingleton<WebLogins>();
        services.AddSingleton<StreamAccess>();
        services.AddSingleton<FirstAdminService>(); // one instance: CredentialVerifier waits for its Completion
        services.AddHostedService(sp => sp.GetRequiredService<FirstAdminService>());
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));

        // AddAuthenticationCore, not AddAuthentication: the latter also registers ASP.NET Data Protection, whose hosted
        // service loads (and on first start writes) an XML key ring at start-up, costing ~4 MB RSS and start-up time.
        // Our sessions are our own tokens; nothing here protects data with it (docs/BENCHMARKS.md "Idle memory").
        services.AddAuthenticationCore(o =>
        {
            o.DefaultScheme = LightNvrAuthenticationHandler.SchemeName;
            o.AddScheme<LightNvrAuthenticationHandler>(LightNvrAuthenticationHandler.SchemeName, null);
        });
        services.AddWebEncoders(); // the UrlEncoder the handler's base class takes
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, p => p.RequireAuthenticatedUser().RequireRole(Caller.RoleName(Role.Admin)))
            .AddPolicy(Policies.Operator, p => p.RequireAuthenticatedUser()
                .RequireAssertion(c => !c.User.IsInRole(Caller.RoleName(Role.Viewer))))
            .AddPolicy(Policies.Viewer, p => p.RequireAuthenticatedUser());
        return services;
    }

    /// <summary>Adds authentication and authorization middleware (call after UseRouting if the host uses it).</summary>
    public static IApplicationBuilder UseLightNvrAuth(this IApplicationBuilder app)
    {
        app.UseMiddleware<ForwardedClientMiddleware>(); // the real client behind a trusted proxy, before anything looks at it
        app.UseAuthentication();
        app.Use(LightNvrAuthenticationHandler.RefuseRateLimitedAsync); // 429, not 401, for rate-limited Basic on any route
        app.UseAuthorization();
        app.UseMiddleware<StreamAccessMiddleware>(); // the one stream access check, for routes whose StreamScope names one
        return app;
    }
}
