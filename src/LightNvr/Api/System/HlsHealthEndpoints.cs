using System.Globalization;
using System.Text.Json;
using LightNvr.Auth;

namespace LightNvr.Api.System;

/// <summary>
/// <c>GET /api/health/hls</c> (anonymous, upstream §10): <c>{"healthy":true,"status":"ok","watchdogRestartCount":0,
/// "timestamp":".."}</c>. Upstream's watchdog restarts stalled HLS writer threads; here live HLS is cut in memory per
/// session from the hub (docs/live.md), so there is no writer to stall or restart and the count stays 0.
/// </summary>
public static class HlsHealthEndpoints
{
    public static IEndpointRouteBuilder MapHlsHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health/hls", (TimeProvider time) => Results.Bytes(Body(time), "application/json"))
            .AllowAnonymous().WithMetadata(StreamScope.None);
        return app;
    }

    public static byte[] Body(TimeProvider time)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteBoolean("healthy", true);
            json.WriteString("status", "ok");
            json.WriteNumber("watchdogRestartCount", 0);
            json.WriteString("timestamp", time.GetLocalNow().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
