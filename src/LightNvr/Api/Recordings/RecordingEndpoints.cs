using System.Globalization;
using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Hosting;
using LightNvr.Storage;

namespace LightNvr.Api.Recordings;

/// <summary>
/// <c>GET /api/recordings</c> (every upstream filter: <see cref="RecordingListQuery"/>) and <c>GET /api/recordings/{id}</c>,
/// upstream's shapes (lightnvr-api.md §4.1, §4.3, §4.4). The rest of the recordings API is in the Recording*Endpoints
/// files (docs/recordings-api.md). Both answer 503 while the server shuts down, as upstream does.
/// </summary>
public static class RecordingEndpoints
{
    /// <summary>Upstream's default page size.</summary>
    public const int DefaultLimit = 20;

    public static IEndpointRouteBuilder MapRecordingEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/recordings", ListAsync).RequireAuthorization(Policies.Viewer)
            .WithMetadata(StreamScope.Filtered("recordings of the streams the caller may access"));
        app.MapGet("/api/recordings/{id}", GetAsync).RequireAuthorization(Policies.Viewer)
            .WithMetadata(StreamScope.Resolved("recording id"));
        return app;
    }

    private static async Task<IResult> ListAsync(HttpRequest request, RecordingStore store, RecordingTagStore tags,
        DetectionStore detections, StorageRoot root, ShutdownCoordinator shutdown, CancellationToken ct)
    {
        if (shutdown.IsStopping)
        {
            return ApiErrors.Status(503, "Service shutting down");
        }
        var (page, limit) = Paging(request.Query);
        var query = RecordingListQuery.From(request.Query) with { Page = page, PageSize = limit };
        var visible = await RecordingListQuery.VisibleStreamsAsync(request.HttpContext, query, ct);
        if (visible is null)
        {
            // A tag-restricted caller asked only for streams it may not see: an empty page (upstream's rule).
            return Results.Json(new RecordingListJson([], new PaginationJson(page, 0, 0, limit)),
                RecordingJsonContext.Default.RecordingListJson);
        }
        var result = await store.ListAsync(query with { StreamName = null, Streams = visible }, ct);
        var tagMap = await tags.GetForAsync(result.Items.Select(r => r.Id).ToList(), ct);
        var labels = await detections.LabelCountsAsync(result.Items.Select(r => r.Id).ToList(), ct);
        var body = new RecordingListJson(result.Items.Select(r => (RecordingJson.From(r, withTags: true) with
            {
                Tags = tagMap.TryGetValue(r.Id, out var t) ? t : [],
                FilePath = ShownPath(r, request.HttpContext, root),
            }).WithLabels(labels)).ToArray(),
            new PaginationJson(page, (result.Total + limit - 1) / limit, result.Total, limit));
        return Results.Json(body, RecordingJsonContext.Default.RecordingListJson);
    }

    /// <summary>The page and page size asked for: <c>limit=all</c> is one page of the most a page may hold.</summary>
    private static (int Page, int Limit) Paging(IQueryCollection q)
    {
        var all = string.Equals(q["limit"], "all", StringComparison.OrdinalIgnoreCase);
        var limit = Math.Min(all ? RecordingQuery.MaxPageSize : ParsePositive(q["limit"], DefaultLimit), RecordingQuery.MaxPageSize);
        return (all ? 1 : ParsePositive(q["page"], 1), limit);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, StorageRoot root, ShutdownCoordinator shutdown,
        DetectionStore detections)
    {
        if (shutdown.IsStopping)
        {
            return ApiErrors.Status(503, "Service shutting down");
        }

        var (recording, error) = await RecordingAccess.FindAsync(id, context);
        if (recording is null)
        {
            return error!;
        }
        var labels = await detections.LabelCountsAsync([recording.Id], context.RequestAborted);
        return Results.Json((RecordingJson.From(recording, withTags: false) with { FilePath = ShownPath(recording, context, root) })
            .WithLabels(labels), RecordingJsonContext.Default.RecordingJson);
    }

    /// <summary>Upstream shows the absolute file path; a viewer sees it relative to the storage folder (no host layout).</summary>
    private static string ShownPath(RecordingRecord row, HttpContext context, StorageRoot root) =>
        Caller.From(context.User)?.SeesSecrets == true ? row.FilePath : RecordingJson.RelativePath(row.FilePath, root.Path);

    /// <summary>≤ 0 or not a number → the default (upstream's rule).</summary>
    private static int ParsePositive(string? text, int fallback) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;

    /// <summary>
    /// <c>YYYY-MM-DDTHH:MM:SS</c> with optional <c>.000</c> and <c>Z</c>, always UTC; unparseable → no bound
    /// (lightnvr-api.md §0.3).
    /// </summary>
    internal static DateTimeOffset? ParseIso(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        string[] formats = ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.fff",
            "yyyy-MM-dd'T'HH:mm:ss.fff'Z'"];
        return DateTime.TryParseExact(text.Trim(), formats, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? new DateTimeOffset(t, TimeSpan.Zero)
            : null;
    }
}
