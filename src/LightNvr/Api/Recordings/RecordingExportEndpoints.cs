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
        var (stream, start, end, invalid) = Validate(q);
        if (invalid is not null)
        {
            return invalid;
        }
        if (!await RecordingAccess.MayAccessAsync(stream, context).ConfigureAwait(false))
        {
            return ApiErrors.Forbidden("Stream access denied");
        }
        var segments = await export.SegmentsAsync(stream, start, end, context.RequestAborted).ConfigureAwait(false);
        var (fetched, error) = await NodeSegmentFetch.CollectAsync(segments, cache, Partial(q["partial"].ToString()), context)
            .ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }
        var found = RecordingRangeExport.Plan(segments, fetched, start, end);
        NameMissing(context, found);
        return found switch
        {
            { Plan: { } plan } => new Mp4ExportResult(plan, FileName(stream, start, end), Tag(found, plan, start, end)),
            { Unreadable: { } why } => ApiErrors.Status(500, "Recording cannot be exported: " + why),
            _ => ApiErrors.NotFound("No recordings found for the specified time range"),
        };
    }

    /// <summary>Lists the spans the export does not hold in <see cref="MissingHeader"/> (also on a 404: why nothing is there).</summary>
    private static void NameMissing(HttpContext context, RangeExportPlan found)
    {
        if (found.Missing.Count > 0)
        {
            context.Response.Headers[MissingHeader] = ExportSources.Header(found.Missing);
        }
    }

    /// <summary>The stream and range asked, or the 400 to answer.</summary>
    private static (string Stream, DateTimeOffset Start, DateTimeOffset End, IResult? Error) Validate(IQueryCollection q)
    {
        var stream = q["stream"].ToString();
        if (string.IsNullOrEmpty(stream))
        {
            return ("", default, default, ApiErrors.BadRequest("Missing required parameter: stream"));
        }
        if (TimeQuery.Parse(q["start"]) is not { } start || TimeQuery.Parse(q["end"]) is not { } end)
        {
            return ("", default, default, ApiErrors.BadRequest("start and end are required (unix seconds or ISO-8601)"));
        }
        if (end <= start || end - start > MaxExportDuration)
        {
            return ("", default, default,
                ApiErrors.BadRequest(end <= start ? "end must be after start" : "Time range too long (at most 2 hours)"));
        }
        return (stream, start, end, null);
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
