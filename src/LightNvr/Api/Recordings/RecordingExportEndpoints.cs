using System.Globalization;
using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Media.Mp4.Export;
using LightNvr.Storage;
using Microsoft.Net.Http.Headers;

namespace LightNvr.Api.Recordings;

/// <summary>
/// <c>GET /api/recordings/export?stream=NAME&amp;start=T&amp;end=T</c>: one MP4 of any time range across segments,
/// without re-encoding (<see cref="Mp4RangeExporter"/>). The plan fixes every byte before the first is sent, so the
/// reply has a Content-Length, an ETag, and honours a single Range (206/416) by writing only the bytes asked: the file
/// is built as it is streamed and is seekable, as Moonfire's virtual MP4 is. Starts at the keyframe at or before
/// <c>start</c>; open segments are left out (their last fragment may still be changing). With recorder nodes, segments
/// whose files another node wrote are fetched from it by id (<see cref="NodeSegmentFetch"/>) and planned with the local
/// ones in time order; an owner that cannot be reached makes the export 502 naming it, unless <c>partial=1</c> asks for
/// what is reachable, with the spans left out in <see cref="MissingHeader"/> (docs/scale.md "Export across nodes").
/// </summary>
public static class RecordingExportEndpoints
{
    /// <summary>Longest export: 2 h. The plan holds every sample's index in memory (~40 B each; 2 h at 30 fps ≈ 9 MB).</summary>
    public static readonly TimeSpan MaxExportDuration = TimeSpan.FromHours(2);

    /// <summary>Segments one export may span (<see cref="RecordingRangeExport.MaxSegments"/>).</summary>
    public const int MaxExportSegments = RecordingRangeExport.MaxSegments;

    /// <summary>Lists the spans of the range the export does not hold: <c>node:start-end</c> (unix seconds), comma-separated.</summary>
    public const string MissingHeader = "X-LightNVR-Missing";

    public static IEndpointRouteBuilder MapRecordingExportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/recordings/export", ExportAsync).RequireAuthorization(Policies.Viewer)
            .WithMetadata(StreamScope.Query("stream"));
        return app;
    }

    private static async Task<IResult> ExportAsync(HttpContext context, RecordingRangeExport export, ExportCache cache)
    {
        var q = context.Request.Query;
        var stream = q["stream"].ToString();
        if (string.IsNullOrEmpty(stream))
        {
            return ApiErrors.BadRequest("Missing required parameter: stream");
        }
        if (TimeQuery.Parse(q["start"]) is not { } start || TimeQuery.Parse(q["end"]) is not { } end)
        {
            return ApiErrors.BadRequest("start and end are required (unix seconds or ISO-8601)");
        }
        if (end <= start || end - start > MaxExportDuration)
        {
            return ApiErrors.BadRequest(end <= start ? "end must be after start" : "Time range too long (at most 2 hours)");
        }
        if (!await RecordingAccess.MayAccessAsync(stream, context).ConfigureAwait(false))
        {
            return ApiErrors.Forbidden("Stream access denied");
        }
        var segments = await export.SegmentsAsync(stream, start, end, context.RequestAborted).ConfigureAwait(false);
        var fetched = new Dictionary<long, string>();
        var remote = segments.Where(s => s.Owner.Length > 0).ToList();
        var owners = remote.Count == 0 ? [] : await NodeSegmentFetch.OwnersAsync(remote, context).ConfigureAwait(false);
        remote.RemoveAll(s => !owners.ContainsKey(s.Owner));
        if (remote.Count > 0)
        {
            // Segments another node wrote: fetched by id from that node into this export's cache folder (docs/scale.md).
            var need = remote.Sum(NodeSegmentFetch.Allowance);
            if (need > ExportCache.MaxBytes)
            {
                return ApiErrors.Status(StatusCodes.Status507InsufficientStorage, string.Create(CultureInfo.InvariantCulture,
                    $"The range needs {need / (1024 * 1024)} MB from other nodes, more than the export cache holds ({ExportCache.MaxBytes / (1024 * 1024)} MB): export a shorter range"));
            }
            if (cache.TryCreate(need) is not { } folder)
            {
                context.Response.Headers.RetryAfter = "10";
                return ApiErrors.Status(StatusCodes.Status503ServiceUnavailable, "Other exports fill the export cache now; try again shortly");
            }
            context.Response.RegisterForDispose(folder); // the fetched files live until the response has been sent
            var (files, unreachable) = await NodeSegmentFetch.FetchAsync(remote, owners, folder, context).ConfigureAwait(false);
            if (unreachable.Count > 0 && !Partial(q["partial"].ToString()))
            {
                return ApiErrors.Status(StatusCodes.Status502BadGateway, "Part of the range is stored on "
                    + string.Join("; ", unreachable.Select(u => $"node {u.Key}, which cannot be reached: {u.Value}"))
                    + ". Add partial=1 to export the rest (the response then lists the missing spans in " + MissingHeader + ")");
            }
            fetched = files;
        }
        var found = RecordingRangeExport.Plan(segments, fetched, start, end);
        if (found.Missing.Count > 0)
        {
            context.Response.Headers[MissingHeader] = ExportSources.Header(found.Missing);
        }
        return found switch
        {
            { Plan: { } plan } => new Mp4ExportResult(plan, FileName(stream, start, end), Tag(found, plan, start, end)),
            { Unreadable: { } why } => ApiErrors.Status(500, "Recording cannot be exported: " + why),
            _ => ApiErrors.NotFound("No recordings found for the specified time range"),
        };
    }

    /// <summary><c>partial=1</c> (or <c>true</c>): export what is reachable when an owner node is not.</summary>
    private static bool Partial(string value) => value is "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>&lt;stream&gt;_YYYYmmdd_HHMMSS-YYYYmmdd_HHMMSS.mp4</c> (UTC), safe in a header.</summary>
    public static string FileName(string stream, DateTimeOffset start, DateTimeOffset end) =>
        RecordingFileEndpoints.SafeFileName(string.Create(CultureInfo.InvariantCulture,
            $"{stream}_{start.UtcDateTime:yyyyMMdd_HHmmss}-{end.UtcDateTime:yyyyMMdd_HHmmss}.mp4"));

    /// <summary>
    /// A validator for the exact bytes: the sources (a local file's path, a fetched one's node and id) with their sizes
    /// and the range give the same plan, whichever node answers and wherever the fetched copies were put.
    /// </summary>
    private static EntityTagHeaderValue Tag(RangeExportPlan found, Mp4ExportPlan plan, DateTimeOffset start, DateTimeOffset end)
    {
        var hash = new HashCode();
        for (var i = 0; i < found.Sources.Count; i++)
        {
            hash.Add(found.Keys[i], StringComparer.Ordinal);
            hash.Add(new FileInfo(found.Sources[i].Path).Length);
        }
        hash.Add(start.ToUnixTimeMilliseconds());
        hash.Add(end.ToUnixTimeMilliseconds());
        return new EntityTagHeaderValue(string.Create(CultureInfo.InvariantCulture, $"\"x{plan.Length:x}-{hash.ToHashCode():x8}\""));
    }
}
