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
/// <c>start</c>; open segments are left out (their last fragment may still be changing).
/// </summary>
public static class RecordingExportEndpoints
{
    /// <summary>Longest export: 2 h. The plan holds every sample's index in memory (~40 B each; 2 h at 30 fps ≈ 9 MB).</summary>
    public static readonly TimeSpan MaxExportDuration = TimeSpan.FromHours(2);

    /// <summary>Segments one export may span (<see cref="RecordingRangeExport.MaxSegments"/>).</summary>
    public const int MaxExportSegments = RecordingRangeExport.MaxSegments;

    public static IEndpointRouteBuilder MapRecordingExportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/recordings/export", ExportAsync).RequireAuthorization(Policies.Viewer)
            .WithMetadata(StreamScope.Query("stream"));
        return app;
    }

    private static async Task<IResult> ExportAsync(HttpContext context, RecordingRangeExport export)
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
        var found = await export.PlanAsync(stream, start, end, context.RequestAborted).ConfigureAwait(false);
        if (found.Elsewhere is { } node && await NodeProxy.ToOwnerAsync(node, context).ConfigureAwait(false) is { } proxied)
        {
            return proxied; // most of the range was recorded by another node: it builds the export from its files
        }
        return found switch
        {
            { Plan: { } plan } => new Mp4ExportResult(plan, FileName(stream, start, end), Tag(found.Sources, plan, start, end)),
            { Unreadable: { } why } => ApiErrors.Status(500, "Recording cannot be exported: " + why),
            _ => ApiErrors.NotFound("No recordings found for the specified time range"),
        };
    }

    /// <summary><c>&lt;stream&gt;_YYYYmmdd_HHMMSS-YYYYmmdd_HHMMSS.mp4</c> (UTC), safe in a header.</summary>
    public static string FileName(string stream, DateTimeOffset start, DateTimeOffset end) =>
        RecordingFileEndpoints.SafeFileName(string.Create(CultureInfo.InvariantCulture,
            $"{stream}_{start.UtcDateTime:yyyyMMdd_HHmmss}-{end.UtcDateTime:yyyyMMdd_HHmmss}.mp4"));

    /// <summary>A validator for the exact bytes: the sources (path, size) and the range give the same plan.</summary>
    private static EntityTagHeaderValue Tag(IReadOnlyList<Mp4ExportSource> sources, Mp4ExportPlan plan, DateTimeOffset start, DateTimeOffset end)
    {
        var hash = new HashCode();
        foreach (var s in sources)
        {
            hash.Add(s.Path, StringComparer.Ordinal);
            hash.Add(new FileInfo(s.Path).Length);
        }
        hash.Add(start.ToUnixTimeMilliseconds());
        hash.Add(end.ToUnixTimeMilliseconds());
        return new EntityTagHeaderValue(string.Create(CultureInfo.InvariantCulture, $"\"x{plan.Length:x}-{hash.ToHashCode():x8}\""));
    }
}
