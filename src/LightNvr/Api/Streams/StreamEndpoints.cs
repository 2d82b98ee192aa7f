using System.Text.Json.Nodes;
using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Data;

namespace LightNvr.Api.Streams;

/// <summary>
/// /api/streams (lightnvr-api.md §2.1–2.3): list, get, full, create, partial update, delete, retention. Every endpoint
/// names its policy; upstream's unauthenticated retention endpoints are Viewer (read) and Operator (write) here.
/// Users with allowed_tags see and change only streams sharing a tag (403 Stream access denied otherwise).
/// </summary>
public static class StreamEndpoints
{
    public static IEndpointRouteBuilder MapStreamEndpoints(this IEndpointRouteBuilder app)
    {
        var streams = app.MapGroup("/api/streams").WithMetadata(StreamScope.Route("name"));
        streams.MapGet("", ListAsync).RequireAuthorization(Policies.Viewer).WithMetadata(StreamScope.Filtered("streams"));
        streams.MapGet("/{name}", GetAsync).RequireAuthorization(Policies.Viewer);
        streams.MapGet("/{name}/full", GetFullAsync).RequireAuthorization(Policies.Viewer);
        streams.MapPost("", CreateAsync).RequireAuthorization(Policies.Operator).WithMetadata(AuthMessages.StreamWrite, StreamScope.None);
        streams.MapPost("/test", StreamTestEndpoints.TestAsync).RequireAuthorization(Policies.Operator)
            .WithMetadata(AuthMessages.StreamWrite, StreamScope.None);
        streams.MapPut("/{name}", UpdateAsync).RequireAuthorization(Policies.Operator).WithMetadata(AuthMessages.StreamWrite);
        streams.MapDelete("/{name}", DeleteAsync).RequireAuthorization(Policies.Operator).WithMetadata(AuthMessages.StreamWrite);
        streams.MapGet("/{name}/retention", StreamRetentionEndpoints.GetAsync).RequireAuthorization(Policies.Viewer);
        streams.MapPut("/{name}/retention", StreamRetentionEndpoints.UpdateAsync).RequireAuthorization(Policies.Operator)
            .WithMetadata(AuthMessages.StreamWrite);
        streams.MapStreamRecordingEndpoints();
        return app;
    }

    /// <summary>The named stream if it exists and the caller may see it; otherwise the 404/403 to return.</summary>
    public static async Task<(StreamConfig? Stream, IResult? Error)> FindAsync(string name, HttpContext context, StreamStore store)
    {
        var stream = await store.GetAsync(name, context.RequestAborted).ConfigureAwait(false);
        if (stream is null)
        {
            return (null, ApiErrors.NotFound("Stream not found"));
        }
        return Caller.From(context.User)!.MayAccessStream(stream.Tags)
            ? (stream, null)
            : (null, ApiErrors.Forbidden("Stream access denied"));
    }

    private static async Task<IResult> ListAsync(HttpContext context, StreamStore store, IStreamStatusProvider status)
    {
        var caller = Caller.From(context.User)!;
        context.RequestServices.GetService<Live.WebRtc.WebRtcWarmup>()?.Prepare(); // a page is about to open players
        var array = new JsonArray();
        foreach (var stream in await store.ListAsync(context.RequestAborted).ConfigureAwait(false))
        {
            if (caller.MayAccessStream(stream.Tags))
            {
                array.Add(StreamJson.From(stream, status.GetStatus(stream.Name), caller.SeesSecrets));
            }
        }
        return JsonReply.Ok(array);
    }

    private static async Task<IResult> GetAsync(string name, HttpContext context, StreamStore store, IStreamStatusProvider status)
    {
        var (stream, error) = await FindAsync(name, context, store).ConfigureAwait(false);
        return stream is null ? error! : JsonReply.Ok(StreamJson.From(stream, status.GetStatus(name), Caller.From(context.User)!.SeesSecrets));
    }

    private static async Task<IResult> GetFullAsync(string name, HttpContext context, StreamStore store, IStreamStatusProvider status)
    {
        var (stream, error) = await FindAsync(name, context, store).ConfigureAwait(false);
        return stream is null
            ? error!
            : JsonReply.Ok(new JsonObject
            {
                ["stream"] = StreamJson.From(stream, status.GetStatus(name), Caller.From(context.User)!.SeesSecrets),
            });
    }

    private static async Task<IResult> CreateAsync(HttpContext context, StreamChanges changes)
    {
        var (body, bodyError) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return bodyError!;
        }
        var (stream, status, problem) = StreamRequest.ForCreate(new RequestFields(body));
        if (stream is null)
        {
            return ApiErrors.Status(status, problem!);
        }

        var result = await changes.AddAsync(stream, context.RequestAborted).ConfigureAwait(false);
        return result.Outcome switch
        {
            StreamChangeOutcome.LimitReached => ApiErrors.Conflict($"Max streams limit reached ({result.Count}/{result.Limit})"),
            StreamChangeOutcome.AlreadyExists => ApiErrors.Conflict("Stream already exists"),
            _ => JsonReply.Success(StatusCodes.Status201Created),
        };
    }

    private static async Task<IResult> UpdateAsync(string name, HttpContext context, StreamStore store, StreamChanges changes)
    {
        var (current, error) = await FindAsync(name, context, store).ConfigureAwait(false);
        if (current is null)
        {
            return error!;
        }
        var (body, bodyError) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return bodyError!;
        }
        var fields = new RequestFields(body);
        if (fields.Has("set_privacy_mode"))
        {
            return await SetPrivacyAsync(current, fields, changes, context.RequestAborted).ConfigureAwait(false);
        }
        var (updated, status, problem) = StreamRequest.ForUpdate(current, fields);
        if (updated is null)
        {
            return ApiErrors.Status(status, problem!);
        }
        await changes.UpdateAsync(current, updated, context.RequestAborted).ConfigureAwait(false);
        return JsonReply.Ok(new JsonObject
        {
            ["success"] = true, ["message"] = "Stream update request accepted and processing",
        }, StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> SetPrivacyAsync(StreamConfig current, RequestFields fields, StreamChanges changes,
        CancellationToken ct)
    {
        if (fields.Bool("set_privacy_mode") is not { } privacy)
        {
            return ApiErrors.BadRequest(fields.Error!);
        }
        await changes.UpdateAsync(current, current with { PrivacyMode = privacy }, ct).ConfigureAwait(false);
        return JsonReply.Ok(new JsonObject { ["success"] = true, ["privacy_mode"] = privacy });
    }

    /// <summary>
    /// Disables (or with <c>permanent=true</c> removes) the stream; with <c>delete_recordings=true</c> its recordings
    /// go too, as a batch delete job (<c>delete_recordings_job</c>: poll <c>/api/recordings/batch-delete/progress/{id}</c>)
    /// started after the camera stopped, so its last segment is complete and included.
    /// </summary>
    private static async Task<IResult> DeleteAsync(string name, string? permanent,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "delete_recordings")] string? deleteRecordings, HttpContext context,
        StreamStore store, StreamChanges changes)
    {
        var (current, error) = await FindAsync(name, context, store).ConfigureAwait(false);
        if (current is null)
        {
            return error!;
        }
        var remove = permanent is "true" or "1";
        await changes.RemoveAsync(current, remove, context.RequestAborted).ConfigureAwait(false);
        var reply = new JsonObject { ["success"] = true, ["permanent"] = remove, ["status"] = "accepted" };
        if (deleteRecordings is "true" or "1")
        {
            // Resolved here, not as parameters: hosts without recording (some API tests) still map the route.
            var recordings = context.RequestServices.GetRequiredService<RecordingStore>();
            var jobs = context.RequestServices.GetRequiredService<Storage.BatchDeleteJobs>();
            var ids = await recordings.ListIdsAsync(new RecordingQuery { Streams = [name] }, Storage.BatchDeleteJobs.MaxIdsPerJob,
                context.RequestAborted).ConfigureAwait(false);
            var job = jobs.Start(ids);
            reply["delete_recordings"] = true;
            reply["delete_recordings_job"] = job?.Id;
            reply["delete_recordings_total"] = ids.Count;
            if (job is null)
            {
                reply["delete_recordings_error"] = "Too many batch delete jobs; delete the recordings from the recordings page";
            }
        }
        return JsonReply.Ok(reply, StatusCodes.Status202Accepted);
    }
}
