using System.Text.Json.Nodes;
using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Data;

namespace LightNvr.Api.Recordings;

/// <summary>Recording tags (lightnvr-api.md §4.5): read by viewers, changed by operators.</summary>
public static class RecordingTagEndpoints
{
    public static IEndpointRouteBuilder MapRecordingTagEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/recordings/tags", ListAsync).RequireAuthorization(Policies.Viewer)
            .WithMetadata(new StreamScope(StreamScopeKind.None, Note: "global: tag names of every recording, not filtered by stream yet"));
        app.MapGet("/api/recordings/detection-labels", LabelsAsync).RequireAuthorization(Policies.Viewer)
            .WithMetadata(new StreamScope(StreamScopeKind.None, Note: "global: detection labels of every stream, not filtered yet"));
        app.MapGet("/api/recordings/{id}/tags", GetAsync).RequireAuthorization(Policies.Viewer)
            .WithMetadata(StreamScope.Resolved("recording id"));
        app.MapPut("/api/recordings/{id}/tags", SetAsync).RequireAuthorization(Policies.Operator)
            .WithMetadata(StreamScope.Resolved("recording id"));
        app.MapPost("/api/recordings/batch-tags", BatchAsync).RequireAuthorization(Policies.Operator)
            .WithMetadata(StreamScope.Resolved("recording ids in the body"));
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context, RecordingTagStore tags) =>
        JsonReply.Ok(new JsonObject
        {
            ["tags"] = new JsonArray([.. (await tags.ListAllAsync(context.RequestAborted).ConfigureAwait(false)).Select(t => (JsonNode)t)]),
        });

    private static async Task<IResult> LabelsAsync(HttpContext context, DetectionStore detections) =>
        JsonReply.Ok(new JsonObject
        {
            ["labels"] = new JsonArray([.. (await detections.LabelsAsync(context.RequestAborted).ConfigureAwait(false)).Select(l => (JsonNode)l)]),
        });

    private static async Task<IResult> GetAsync(string id, HttpContext context, RecordingTagStore tags)
    {
        var (row, error) = await RecordingAccess.FindAsync(id, context).ConfigureAwait(false);
        return row is null ? error! : Reply(row.Id, await tags.GetAsync(row.Id, context.RequestAborted).ConfigureAwait(false));
    }

    private static async Task<IResult> SetAsync(string id, HttpContext context, RecordingTagStore tags)
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
        var list = ReadTags(body["tags"]);
        if (list is null)
        {
            return ApiErrors.BadRequest("Missing or invalid 'tags' field (array required)");
        }
        await tags.SetAsync(row.Id, list, context.RequestAborted).ConfigureAwait(false);
        return Reply(row.Id, await tags.GetAsync(row.Id, context.RequestAborted).ConfigureAwait(false));
    }

    private static async Task<IResult> BatchAsync(HttpContext context, RecordingTagStore tags)
    {
        var (body, bodyError) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return bodyError!;
        }
        var ids = RecordingManageEndpoints.ReadIds(body["ids"]);
        if (ids is null || ids.Count is 0 or > RecordingManageEndpoints.MaxBatchIds)
        {
            return ApiErrors.BadRequest("Invalid number of IDs (1-10000)");
        }
        var (added, removed) = await tags.BatchAsync(ids, ReadTags(body["add"]) ?? [], ReadTags(body["remove"]) ?? [],
            context.RequestAborted).ConfigureAwait(false);
        return JsonReply.Ok(new JsonObject { ["recordings_count"] = ids.Count, ["tags_added"] = added, ["tags_removed"] = removed });
    }

    /// <summary>Strings of an array (non-strings and empty ones ignored, trimmed, at most 64 × 127), or null.</summary>
    private static List<string>? ReadTags(JsonNode? node)
    {
        if (node is not JsonArray array)
        {
            return null;
        }
        return array.OfType<JsonValue>()
            .Select(v => v.TryGetValue<string>(out var s) ? s.Trim() : "")
            .Where(s => s.Length is > 0 and <= RecordingTagStore.MaxTagLength)
            .Distinct(StringComparer.Ordinal)
            .Take(RecordingTagStore.MaxTagsPerRecording)
            .ToList();
    }

    private static IResult Reply(long id, IReadOnlyList<string> tags) =>
        JsonReply.Ok(new JsonObject { ["id"] = id, ["tags"] = new JsonArray([.. tags.Select(t => (JsonNode)t)]) });
}
