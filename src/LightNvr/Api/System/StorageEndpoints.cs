using System.Text.Json.Nodes;
using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Config;
using LightNvr.Storage;

namespace LightNvr.Api.System;

/// <summary>
/// <c>GET /api/storage/health</c> (Viewer) and <c>POST /api/storage/cleanup</c> (Admin: a cleanup, aggressive or not,
/// deletes recordings; upstream let viewers trigger it) — lightnvr-api.md §11.
/// </summary>
public static class StorageEndpoints
{
    public static IEndpointRouteBuilder MapStorageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/storage/health", HealthAsync).RequireAuthorization(Policies.Viewer).WithMetadata(StreamScope.None);
        app.MapPost("/api/storage/cleanup", CleanupAsync).RequireAuthorization(Policies.Admin).WithMetadata(StreamScope.None);
        return app;
    }

    /// <summary>
    /// Upstream's fields, the fill rate and projection real (docs/storage.md): <c>projected_seconds_to_target</c> is the
    /// time until free space reaches <c>min_free_pct</c>, -1 when there is no rate. Added: the week's rate and the
    /// projections in days, to the target and to <c>max_size</c> (-1 when none is set).
    /// </summary>
    private static async Task<IResult> HealthAsync(StorageService storage, StorageRoot root, IDiskSpaceProbe disk,
        ConfigSnapshots config, CancellationToken ct)
    {
        var h = storage.Health();
        var d = disk.Probe(root.Path);
        var f = await storage.ForecastAsync(ct).ConfigureAwait(false);
        return JsonReply.Ok(new JsonObject
        {
            ["pressure_level"] = h.PressureLevel.ToString(), ["pressure_level_num"] = (int)h.PressureLevel,
            ["free_space_pct"] = Math.Round(h.FreeSpacePct, 1), ["free_space_bytes"] = d?.Free ?? 0,
            ["total_space_bytes"] = d?.Total ?? 0, ["used_space_bytes"] = d?.Used ?? 0,
            ["last_check_time"] = h.LastCheckTime, ["last_cleanup_time"] = h.LastCleanupTime, ["last_deep_time"] = h.LastCleanupTime,
            ["last_cleanup_deleted"] = h.LastCleanupDeleted, ["last_cleanup_freed"] = h.LastCleanupFreed,
            ["capacity_target_free_pct"] = config.Current.Storage.MinFreePct,
            ["fill_rate_bytes_per_day"] = (long)Math.Round(f.FillRateBytesPerDay),
            ["projected_seconds_to_target"] = (long)Math.Round(f.SecondsToTarget),
            ["fill_rate_bytes_per_day_7d"] = (long)Math.Round(f.LongFillRateBytesPerDay),
            ["projected_days_to_target"] = StorageForecast.Days(f.SecondsToTarget),
            ["projected_days_to_max_size"] = StorageForecast.Days(f.SecondsToMaxSize),
        });
    }

    private static async Task<IResult> CleanupAsync(HttpContext context, StorageService storage)
    {
        var aggressive = false;
        if (context.Request.ContentLength is > 0)
        {
            var (body, error) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
            if (body is null)
            {
                return error!;
            }
            aggressive = body["aggressive"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        }
        storage.RequestCleanup(aggressive);
        return JsonReply.Ok(new JsonObject
        {
            ["success"] = true, ["aggressive"] = aggressive, ["message"] = "Cleanup triggered successfully",
        });
    }
}
