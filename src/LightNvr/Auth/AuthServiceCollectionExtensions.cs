using LightNvr.Api;
using LightNvr.Config;
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
        services.AddHostedService<FirstAdminService>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));

        services.AddAuthentication(LightNvrAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, LightNvrAuthenticationHandler>(LightNvrAuthenticationHandler.SchemeName, null);
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
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
