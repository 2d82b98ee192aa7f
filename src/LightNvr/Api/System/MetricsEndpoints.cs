using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Config;
using LightNvr.Metrics;

namespace LightNvr.Api.System;

/// <summary>
/// <c>GET /api/metrics</c> (upstream §10, Prometheus text format 0.0.4). Upstream answers anyone; here
/// <c>[web] metrics_auth</c> decides (docs/metrics.md): <c>viewer</c> (default) wants a signed-in caller or the
/// <c>metrics_token</c> as a bearer token, <c>token</c> only the token, <c>none</c> anyone. A tag-limited caller sees
/// only the per-stream series of the streams it may access; the token and anonymous callers under <c>none</c> see all.
/// </summary>
public static class MetricsEndpoints
{
    public static IEndpointRouteBuilder MapMetricsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/metrics", MetricsAsync).AllowAnonymous()
            .WithMetadata(StreamScope.Filtered("per-stream series: the caller's accessible streams; every stream for the metrics token"));
        return app;
    }

    private static async Task MetricsAsync(HttpContext context, MetricsScraper scraper, StreamAccess access, ConfigSnapshots config)
    {
        var web = config.Current.Web;
        var caller = Caller.From(context.User);
        var byToken = HasToken(context.Request, web.MetricsToken);
        if (!byToken)
        {
            switch (web.MetricsAuth)
            {
                case "token" when caller is null:
                case "viewer" when caller is null:
                    context.Response.Headers.WWWAuthenticate = "Bearer realm=\"metrics\"";
                    await ApiErrors.Unauthorized("Metrics need a signed-in user or the metrics token").ExecuteAsync(context);
                    return;
                case "token":
                    await ApiErrors.Forbidden("Metrics need the metrics token ([web] metrics_auth = token)").ExecuteAsync(context);
                    return;
            }
        }

        var allowed = byToken ? null : await access.AllowedAsync(caller, context.RequestAborted);
        var (buffer, length) = scraper.Scrape(allowed);
        try
        {
            context.Response.ContentType = PrometheusTextWriter.ContentType;
            context.Response.ContentLength = length;
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, length), context.RequestAborted);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary><c>Authorization: Bearer</c> equals the configured token (compared in fixed time; no token configured: false).</summary>
    private static bool HasToken(HttpRequest request, string token)
    {
        var header = request.Headers.Authorization.ToString();
        if (token.Length == 0 || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()),
            Encoding.UTF8.GetBytes(token));
    }
}
