using System.Text.Json.Nodes;
using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Recording;
using LightNvr.Storage;

namespace LightNvr.Api.Recordings;

/// <summary>
/// Delete, protect and retention override of recordings (lightnvr-api.md §4.4–§4.6). Every change is Operator
/// (admin, user, api; never viewer) — upstream left protect, retention and batch-protect open to anyone. Deleting goes
/// through <see cref="RecordingFiles"/> (mark, unlink, delete row); an open segment cannot be deleted (409).
/// </summary>
public static class RecordingManageEndpoints
{
    /// <summary>Most ids in one batch request: upstream's batch-tags limit.</summary>
    public const int MaxBatchIds = 10000;

    public static IEndpointRouteBuilder MapRecordingManageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapDelete("/api/recordings/{id}", DeleteAsync).RequireAuthorization(Policies.Operator)
            .WithMetadata(StreamScope.Resolved("recording id"));
        app.MapPut("/api/recordings/{id}/protect", ProtectAsync).RequireAuthorization(Policies.Operator)
            .WithMetadata(StreamScope.Resolved("recording id"));
        app.MapPut("/api/recordings/{id}/retention", RetentionAsync).RequireAuthorization(Policies.Operator)
            .WithMetadata(StreamScope.Resolved("recording id"));
        app.MapPost("/api/recordings/batch-protect", BatchProtectAsync).RequireAuthorization(Policies.Operator)
            .WithMetadata(StreamScope.Resolved("recording ids in the body"));
        app.MapGet("/api/recordings/protected", ProtectedCountAsync).RequireAuthorization(Policies.Viewer)
            .WithMetadata(StreamScope.Query("stream"));
        return app;
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, RecordingFiles files)
    {
        var (row, error) = await RecordingAccess.FindAsync(id, context).ConfigureAwait(false);
        if (row is null)
        {
            return error!;
        }
        if (!row.IsComplete || row.EndTime is null)
        {
            return ApiErrors.Conflict("Recording is still being written");
        }
        return await files.RemoveOneAsync(row.Id, context.RequestAborted).ConfigureAwait(false)
            ? JsonReply.Ok(new JsonObject { ["success"] = true, ["message"] = "Recording deleted successfully" })
            : ApiErrors.Status(500, "Failed to delete recording");
    }

    private static async Task<IResult> ProtectAsync(string id, HttpContext context, RecordingStore store)
    {
        var (row, error) = await RecordingAccess.FindAsync(id, context).ConfigureAwait(false);
        if (row is null)
        {
            return error!;
        }
        var (body, bodyError) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return bodyError!;
        }
        if (body["protected"] is not JsonValue v || !v.TryGetValue<bool>(out var value))
        {
            return ApiErrors.BadRequest("Missing or invalid 'protected' field (boolean required)");
        }
        await store.SetProtectedAsync(row.Id, value, context.RequestAborted).ConfigureAwait(false);
        return JsonReply.Ok(new JsonObject
        {
            ["id"] = row.Id, ["protected"] = value, ["message"] = value ? "Recording protected" : "Recording unprotected",
        });
    }

    private static async Task<IResult> RetentionAsync(string id, HttpContext context, RecordingStore store)
    {
        var (row, error) = await RecordingAccess.FindAsync(id, context).ConfigureAwait(false);
        if (row is null)
        {
            return error!;
        }
        var (body, bodyError) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return bodyError!;
        }
        if (body["retention_days"] is not JsonValue v || !v.TryGetValue<double>(out var number) || double.IsNaN(number)
            || number > 36500)
        {
            return ApiErrors.BadRequest("Missing or invalid 'retention_days' field (number required)");
        }
        var days = number < 0 ? (int?)null : (int)number;
        await store.SetRetentionOverrideAsync(row.Id, days, context.RequestAborted).ConfigureAwait(false);
        return JsonReply.Ok(new JsonObject
        {
            ["id"] = row.Id, ["retention_days"] = days ?? -1,
            ["message"] = days is null ? "Retention override removed, using stream default" : "Custom retention set",
        });
    }

    private static async Task<IResult> BatchProtectAsync(HttpContext context, RecordingStore store)
    {
        var (body, bodyError) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return bodyError!;
        }
        var ids = ReadIds(body["ids"]);
        if (ids is null || ids.Count == 0 || ids.Count > MaxBatchIds)
        {
            return ApiErrors.BadRequest("Missing or invalid 'ids' array");
        }
        if (body["protected"] is not JsonValue v || !v.TryGetValue<bool>(out var value))
        {
            return ApiErrors.BadRequest("Missing or invalid 'protected' field (boolean required)");
        }
        var ok = await ProtectManyAsync(ids, value, context, store).ConfigureAwait(false);
        return JsonReply.Ok(new JsonObject
        {
            ["success_count"] = ok, ["fail_count"] = ids.Distinct().Count() - ok, ["protected"] = value,
            ["message"] = value ? "Recordings protected" : "Recordings unprotected",
        });
    }

    /// <summary>Sets the flag on every row the caller may see that is not being deleted; returns how many changed.</summary>
    private static async Task<int> ProtectManyAsync(IReadOnlyList<long> ids, bool value, HttpContext context, RecordingStore store)
    {
        var ok = 0;
        foreach (var row in await store.GetManyAsync(ids, context.RequestAborted).ConfigureAwait(false))
        {
            if (!row.Deleting && await RecordingAccess.MayAccessAsync(row.StreamName, context).ConfigureAwait(false)
                && await store.SetProtectedAsync(row.Id, value, context.RequestAborted).ConfigureAwait(false))
            {
                ok++;
            }
        }
        return ok;
    }

    private static async Task<IResult> ProtectedCountAsync(string? stream, HttpContext context, RecordingStore store)
    {
        var count = await store.CountProtectedAsync(string.IsNullOrEmpty(stream) ? null : stream, context.RequestAborted)
            .ConfigureAwait(false);
        var json = new JsonObject { ["protected_count"] = count };
        if (!string.IsNullOrEmpty(stream))
        {
            json["stream_name"] = stream;
        }
        return JsonReply.Ok(json);
    }

    /// <summary>An array of positive integer ids, or null when the node is not such an array.</summary>
    public static List<long>? ReadIds(JsonNode? node)
    {
        if (node is not JsonArray array)
        {
            return null;
        }
        var ids = new List<long>(array.Count);
        foreach (var item in array)
        {
            if (item is JsonValue v && v.TryGetValue<long>(out var id) && id > 0)
            {
                ids.Add(id);
            }
            else if (item is JsonValue d && d.TryGetValue<double>(out var x) && x > 0 && x == Math.Floor(x) && x < long.MaxValue)
            {
                ids.Add((long)x);
            }
        }
        return ids;
    }
}
