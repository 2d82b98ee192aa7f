using LightNvr.Auth;
using LightNvr.Health;

namespace LightNvr.Api.System;

/// <summary>
/// <c>GET /api/health</c> (anonymous, upstream §10): always 200, <c>status</c> says how things are. An anonymous
/// caller gets the counts only (stream names are not public); a signed-in caller sees <c>streams_detail</c> for the
/// streams it may access.
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", HealthAsync).AllowAnonymous()
            .WithMetadata(StreamScope.Filtered("streams_detail: none for anonymous callers, else the accessible streams"));
        return app;
    }

    private static async Task<IResult> HealthAsync(HttpContext context, HealthService health, StreamAccess access)
    {
        var report = health.Build();
        var caller = Caller.From(context.User);
        var allowed = caller is null ? [] : await access.AllowedAsync(caller, context.RequestAborted);
        for (var i = report.StreamsDetail.Count - 1; i >= 0; i--)
        {
            if (allowed?.Contains(report.StreamsDetail[i].Name) == false)
            {
                report.StreamsDetail.RemoveAt(i);
            }
        }
        return Results.Json(report, HealthJsonContext.Default.HealthReport);
    }
}
