using System.Text.Json.Nodes;
using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Storage;

namespace LightNvr.Api.Recordings;

/// <summary>
/// Files check/delete and database sync (lightnvr-api.md §4.7). Upstream left files check/delete open to anyone for
/// any server path (§16.11); here all three are Admin, and a path is refused (403) unless its real location (encoded
/// <c>..</c> decoded by the router, symlinks resolved) is inside the storage root. Deleting a file that a row still
/// names is refused (409): rows are deleted through DELETE /api/recordings/{id}. Sync adopts orphan segment files it
/// can (<see cref="RecordingSync"/>): <c>rows_adopted</c>; those left are counted in <c>orphan_files</c>, listed in
/// <c>orphans</c> (paths, as before) and in <c>orphan_reasons</c> (path and why it was not adopted).
/// </summary>
public static class RecordingMaintenanceEndpoints
{
    public static IEndpointRouteBuilder MapRecordingMaintenanceEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/recordings/files/check", Check).RequireAuthorization(Policies.Admin).WithMetadata(StreamScope.None);
        app.MapDelete("/api/recordings/files", DeleteAsync).RequireAuthorization(Policies.Admin).WithMetadata(StreamScope.None);
        app.MapPost("/api/recordings/sync", SyncAsync).RequireAuthorization(Policies.Admin).WithMetadata(StreamScope.None);
        return app;
    }

    private static IResult Check(string? path, StorageRoot root)
    {
        if (string.IsNullOrEmpty(path))
        {
            return ApiErrors.BadRequest("Missing path parameter");
        }
        var real = root.Resolve(path);
        if (real is null)
        {
            return ApiErrors.Forbidden("Path is outside the storage folder");
        }
        var info = new FileInfo(real);
        var json = new JsonObject { ["exists"] = info.Exists };
        if (info.Exists)
        {
            json["size"] = info.Length;
            json["mtime"] = new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds();
        }
        return JsonReply.Ok(json);
    }

    private static async Task<IResult> DeleteAsync(string? path, StorageRoot root, Data.RecordingStore recordings, HttpContext context)
    {
        if (string.IsNullOrEmpty(path))
        {
            return ApiErrors.BadRequest("Missing path parameter");
        }
        var real = root.Resolve(path);
        if (real is null || Directory.Exists(real))
        {
            return ApiErrors.Forbidden("Path is outside the storage folder");
        }
        if (await recordings.CountWithPathAsync([Path.GetFullPath(path), real], context.RequestAborted).ConfigureAwait(false) > 0)
        {
            return ApiErrors.Conflict("File belongs to a recording; delete the recording instead");
        }
        var existed = File.Exists(real);
        if (existed)
        {
            Recording.RecordingFiles.DeleteUnrecorded(real);
        }
        return JsonReply.Ok(new JsonObject { ["success"] = true, ["existed"] = existed });
    }

    private static async Task<IResult> SyncAsync(RecordingSync sync, HttpContext context)
    {
        var report = await sync.RunAsync(context.RequestAborted).ConfigureAwait(false);
        return JsonReply.Ok(new JsonObject
        {
            ["success"] = true, ["message"] = "Recording sync complete",
            ["updated"] = report.RowsRemoved + report.RowsUpdated + report.RowsAdopted,
            ["rows_removed"] = report.RowsRemoved, ["rows_updated"] = report.RowsUpdated, ["rows_adopted"] = report.RowsAdopted,
            ["orphan_files"] = report.OrphanCount,
            ["orphans"] = new JsonArray([.. report.Orphans.Select(o => (JsonNode)o.Path)]),
            ["orphan_reasons"] = new JsonArray([.. report.Orphans.Select(o => (JsonNode)new JsonObject
            {
                ["path"] = o.Path, ["reason"] = o.Reason,
            })]),
        });
    }
}
