using LightNvr.Api.Http;
using System.Globalization;
using System.Text.Json.Nodes;
using LightNvr.Auth;
using LightNvr.Cameras;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Events;

namespace LightNvr.Api.Detection;

/// <summary>
/// Upstream's detection reads (lightnvr-api.md §6): <c>GET /api/detection/results/{stream}</c> and event snapshots
/// <c>GET /api/snapshots/{stream}/{file}.jpg</c>. Upstream has no auth on the first; here both need a viewer and go
/// through the stream access check.
/// </summary>
public static class DetectionEndpoints
{
    /// <summary>Upstream's recent window without start/end: max(30 s, 2 × detection_interval).</summary>
    public static readonly TimeSpan MinRecentWindow = TimeSpan.FromSeconds(30);

    public static IEndpointRouteBuilder MapDetectionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/detection/results/{stream}", ResultsAsync).RequireAuthorization(Policies.Viewer)
            .WithMetadata(StreamScope.Route("stream"));
        app.MapGet("/api/snapshots/{stream}/{file}", SnapshotAsync).RequireAuthorization(Policies.Viewer)
            .WithMetadata(StreamScope.Route("stream"));
        app.MapMotionTriggerEndpoint();
        return app;
    }

    private static async Task<IResult> ResultsAsync(string stream, HttpContext context, DetectionStore detections,
        StreamStore streams, CameraService cameras, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var (from, to) = (Unix(context.Request.Query["start"], 0), Unix(context.Request.Query["end"], now.ToUnixTimeSeconds()));
        if (!context.Request.Query.ContainsKey("start") && !context.Request.Query.ContainsKey("end"))
        {
            // No window asked for: the recent past, at least two detection intervals of this stream.
            var config = await streams.GetAsync(stream, context.RequestAborted).ConfigureAwait(false);
            if (config is null)
            {
                return ApiErrors.NotFound("Stream not found");
            }
            from = (now - TimeSpan.FromSeconds(Math.Max(MinRecentWindow.TotalSeconds, 2.0 * config.DetectionInterval))).ToUnixTimeSeconds();
        }

        var rows = await detections.RecentAsync(stream, from, to, context.RequestAborted).ConfigureAwait(false);
        return JsonReply.Ok(new JsonObject
        {
            ["detections"] = new JsonArray([.. rows.Select(ToJson)]),
            ["timestamp"] = TimeZoneInfo.ConvertTime(now, time.LocalTimeZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            ["stream_status"] = cameras.GetStatus(stream).State,
        });
    }

    /// <summary>One row in upstream's shape (lightnvr-api.md §7): box fields 0 when the source had no box.</summary>
    private static JsonNode ToJson(DetectionRow r) => new JsonObject
    {
        ["label"] = r.Label,
        ["confidence"] = Math.Round(r.Confidence, 4),
        ["x"] = r.X ?? 0, ["y"] = r.Y ?? 0, ["width"] = r.Width ?? 0, ["height"] = r.Height ?? 0,
        ["timestamp"] = r.Timestamp,
        ["end_timestamp"] = r.EndTimestamp ?? r.Timestamp,
    };

    private static IResult SnapshotAsync(string stream, string file, ConfigSection<StorageOptions> storage)
    {
        if (!SnapshotFiles.IsValidStream(stream))
        {
            return ApiErrors.BadRequest("Invalid stream name");
        }
        if (!SnapshotFiles.IsValidFile(file))
        {
            return ApiErrors.BadRequest("Invalid snapshot file name (letters, digits, _ . - ending in .jpg)");
        }
        var path = SnapshotFiles.Resolve(storage.Current.Path, stream, file);
        return path is not null && File.Exists(path)
            ? Results.File(path, "image/jpeg")
            : ApiErrors.NotFound("Snapshot not found");
    }

    /// <summary>Upstream's detection query times: unix seconds; anything else is the default.</summary>
    private static long Unix(string? text, long fallback) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : fallback;
}
