using System.IO.Compression;
using System.Text.Json.Nodes;
using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Storage;
using Microsoft.AspNetCore.Http.Features;

namespace LightNvr.Api.Recordings;

/// <summary>
/// Batch delete as a job with progress, and batch download as a ZIP streamed from the files (lightnvr-api.md §4.6).
/// Delete and its progress are Operator (upstream left progress open); download is Viewer, the token bound to its user.
/// The ZIP is written entry by entry to the response (stored, no compression: MP4 does not compress), never whole in
/// memory.
/// </summary>
public static class RecordingBatchEndpoints
{
    public static IEndpointRouteBuilder MapRecordingBatchEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/recordings/batch-delete", DeleteAsync).RequireAuthorization(Policies.Operator)
            .WithMetadata(StreamScope.Resolved("recording ids or filter in the body"));
        app.MapGet("/api/recordings/batch-delete/progress/{job}", Progress).RequireAuthorization(Policies.Operator)
            .WithMetadata(StreamScope.None);
        app.MapPost("/api/recordings/batch-download", DownloadAsync).RequireAuthorization(Policies.Viewer)
            .WithMetadata(StreamScope.Resolved("recording ids in the body"));
        app.MapGet("/api/recordings/batch-download/status/{token}", Status).RequireAuthorization(Policies.Viewer)
            .WithMetadata(StreamScope.None);
        app.MapGet("/api/recordings/batch-download/result/{token}", ResultAsync).RequireAuthorization(Policies.Viewer)
            .WithMetadata(StreamScope.Resolved("rows checked again when the archive is built"));
        return app;
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, RecordingStore store, BatchDeleteJobs jobs)
    {
        var (body, bodyError) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return bodyError!;
        }
        var (ids, error) = await SelectIdsAsync(body, store, context.RequestAborted).ConfigureAwait(false);
        if (ids is null)
        {
            return ApiErrors.BadRequest(error!);
        }
        var allowed = new List<long>(ids.Count);
        foreach (var row in await store.GetManyAsync(ids.Distinct().ToList(), context.RequestAborted).ConfigureAwait(false))
        {
            if (await RecordingAccess.MayAccessAsync(row.StreamName, context).ConfigureAwait(false))
            {
                allowed.Add(row.Id);
            }
        }
        var job = jobs.Start(allowed);
        return job is null
            ? ApiErrors.Status(503, "Too many batch delete jobs")
            : JsonReply.Ok(new JsonObject { ["job_id"] = job.Id, ["status"] = "started" }, StatusCodes.Status202Accepted);
    }

    /// <summary>The ids a batch delete names: an <c>ids</c> array, or the rows a <c>filter</c> matches (capped).</summary>
    private static async Task<(List<long>? Ids, string? Error)> SelectIdsAsync(JsonObject body, RecordingStore store, CancellationToken ct)
    {
        if (body["ids"] is JsonArray)
        {
            var ids = RecordingManageEndpoints.ReadIds(body["ids"])!;
            return ids.Count == 0 ? (null, "Empty 'ids' array") : (ids, null);
        }
        if (body["filter"] is JsonObject filter)
        {
            return ([.. await store.ListIdsAsync(FilterOf(filter), BatchDeleteJobs.MaxIdsPerJob, ct).ConfigureAwait(false)], null);
        }
        return (null, "Request must contain either 'ids' array or 'filter' object");
    }

    private static IResult Progress(string job, BatchDeleteJobs jobs)
    {
        var j = jobs.Get(job);
        if (j is null)
        {
            return ApiErrors.NotFound("Job not found");
        }
        var status = j.Status; // read once: the job may finish between two reads ("running" with complete: true)
        var json = new JsonObject
        {
            ["job_id"] = j.Id, ["status"] = status, ["total"] = j.Total, ["current"] = j.Current, ["succeeded"] = j.Succeeded,
            ["failed"] = j.Failed, ["status_message"] = $"Deleting recordings... {j.Current}/{j.Total}",
            ["complete"] = status is "complete" or "error",
        };
        if (j.Error is not null)
        {
            json["error_message"] = j.Error;
        }
        return JsonReply.Ok(json);
    }

    /// <summary>Upstream's filter object: start, end, stream_name|stream, detection, detection_label, tag, capture_method, protected.</summary>
    private static RecordingQuery FilterOf(JsonObject f)
    {
        string? Text(string key) => f[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        int? Number(string key) => f[key] is JsonValue v && v.TryGetValue<double>(out var d) ? (int)d : null;
        string[] List(string key) => Text(key)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
        var label = List("detection_label");
        return new RecordingQuery
        {
            Streams = [.. List("stream_name"), .. List("stream")],
            Start = TimeQuery.Parse(Text("start")),
            End = TimeQuery.Parse(Text("end")),
            HasDetection = Math.Clamp(Number("detection") ?? 0, -1, 1),
            DetectionLabels = label,
            Tags = List("tag"),
            CaptureMethods = List("capture_method"),
            Protected = Number("protected") switch { 0 => false, 1 => true, _ => null },
        };
    }

    private static async Task<IResult> DownloadAsync(HttpContext context, BatchDownloadTokens tokens)
    {
        var (body, bodyError) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return bodyError!;
        }
        var ids = RecordingManageEndpoints.ReadIds(body["ids"]);
        if (ids is null || ids.Count is 0 or > BatchDownloadTokens.MaxIds)
        {
            return ApiErrors.BadRequest("ids must contain 1-200 entries");
        }
        var name = body["filename"] is JsonValue v && v.TryGetValue<string>(out var n) ? n : "recordings.zip";
        var token = tokens.Create(ids, RecordingFileEndpoints.SafeFileName(name), Caller.From(context.User)!.UserId);
        return token is null
            ? ApiErrors.Status(503, "Too many concurrent download jobs")
            : JsonReply.Ok(new JsonObject { ["token"] = token, ["total"] = ids.Count }, StatusCodes.Status202Accepted);
    }

    private static IResult Status(string token, HttpContext context, BatchDownloadTokens tokens) =>
        tokens.Peek(token, Caller.From(context.User)!.UserId) is { } t
            ? JsonReply.Ok(new JsonObject { ["status"] = "complete", ["current"] = t.Ids.Count, ["total"] = t.Ids.Count, ["error"] = "" })
            : ApiErrors.NotFound("Job not found");

    private static async Task ResultAsync(string token, HttpContext context, BatchDownloadTokens tokens, RecordingStore store,
        StorageRoot root)
    {
        if (tokens.Take(token, Caller.From(context.User)!.UserId) is not { } job)
        {
            await ApiErrors.NotFound("Job not found").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        var ct = context.RequestAborted;
        context.Response.ContentType = "application/zip";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{job.FileName}\"";
        // ZipArchive writes its headers synchronously; the entries' data go through the async copy below.
        context.Features.Get<IHttpBodyControlFeature>()!.AllowSynchronousIO = true;
        var names = new HashSet<string>(StringComparer.Ordinal);
        using (var zip = new ZipArchive(context.Response.Body, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var row in await store.GetManyAsync(job.Ids, ct).ConfigureAwait(false))
            {
                var path = root.Resolve(row.FilePath);
                if (row.Deleting || path is null || !File.Exists(path)
                    || !await RecordingAccess.MayAccessAsync(row.StreamName, context).ConfigureAwait(false))
                {
                    continue;
                }
                var entryName = RecordingFileEndpoints.SafeFileName(row.StreamName + "_" + Path.GetFileName(path));
                if (!names.Add(entryName))
                {
                    entryName = row.Id + "_" + entryName;
                    names.Add(entryName);
                }
                var entry = zip.CreateEntry(entryName, CompressionLevel.NoCompression);
                await using var output = entry.Open();
                await using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.Asynchronous);
                await input.CopyToAsync(output, 64 * 1024, ct).ConfigureAwait(false);
            }
        }
    }
}
