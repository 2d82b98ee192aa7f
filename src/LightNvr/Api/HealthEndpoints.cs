using LightNvr.Hosting;

namespace LightNvr.Api;

/// <summary><c>GET /api/health</c> (anonymous, upstream §10): always 200, <c>status</c> says how things are.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", (HealthService health) => Results.Json(health.Build(), HostJsonContext.Default.HealthReport))
            .AllowAnonymous();
        return app;
    }
}
