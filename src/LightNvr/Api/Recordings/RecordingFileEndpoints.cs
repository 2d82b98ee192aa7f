using System.Globalization;
using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Storage;
using Microsoft.Net.Http.Headers;

namespace LightNvr.Api.Recordings;

/// <summary>
/// Play, download and thumbnails of one recording (lightnvr-api.md §4.4). Files are served by ASP.NET Core's file
/// result: a single Range (<c>a-b</c>, <c>a-</c>, <c>-n</c>) gives 206 + Content-Range, an unsatisfiable one 416 +
/// <c>Content-Range: bytes */size</c>; a complete segment carries ETag and Last-Modified (conditional requests work),
/// an open one is served at its current size with <c>Cache-Control: no-cache</c> and no validators.
/// </summary>
public static class RecordingFileEndpoints
{
    public static IEndpointRouteBuilder MapRecordingFileEndpoints(this IEndpointRouteBuilder app)
    {
        var byId = StreamScope.Resolved("recording id");
        app.MapGet("/api/recordings/play/{id}", (string id, HttpContext c) => ServeAsync(id, c, attachment: false))
            .RequireAuthorization(Policies.Viewer).WithMetadata(byId);
        app.MapGet("/api/recordings/download/{id}", (string id, HttpContext c) => ServeAsync(id, c, attachment: true))
            .RequireAuthorization(Policies.Viewer).WithMetadata(byId);
        app.MapGet("/api/recordings/thumbnail/{id}/{index}", ThumbnailAsync).RequireAuthorization(Policies.Viewer).WithMetadata(byId);
        return app;
    }

    private static async Task<IResult> ServeAsync(string id, HttpContext context, bool attachment)
    {
        var (row, path, error) = await RecordingAccess.FindFileAsync(id, context).ConfigureAwait(false);
        if (row is null)
        {
            return error!;
        }
        var headers = context.Response.Headers;
        headers["Access-Control-Allow-Headers"] = "Range, Origin, Content-Type, Accept";
        var contentType = ContentTypeOf(path!);
        var info = new FileInfo(path!);
        if (attachment)
        {
            headers.ContentDisposition = new ContentDispositionHeaderValue("attachment")
            {
                FileNameStar = SafeFileName(Path.GetFileName(path!)),
                FileName = SafeFileName(Path.GetFileName(path!)),
            }.ToString();
        }
        if (!row.IsComplete || row.EndTime is null)
        {
            headers.CacheControl = "no-cache";
            return Results.File(path!, contentType, enableRangeProcessing: true);
        }
        var tag = new EntityTagHeaderValue(string.Create(CultureInfo.InvariantCulture,
            $"\"{row.Id:x}-{info.Length:x}-{info.LastWriteTimeUtc.Ticks:x}\""));
        headers.CacheControl = "private, max-age=3600";
        return Results.File(path!, contentType, lastModified: info.LastWriteTimeUtc, entityTag: tag, enableRangeProcessing: true);
    }

    private static async Task<IResult> ThumbnailAsync(string id, string index, HttpContext context, ConfigSnapshots config,
        ThumbnailService thumbnails)
    {
        if (!config.Current.Storage.GenerateThumbnails)
        {
            return ApiErrors.Forbidden("Thumbnail generation is disabled");
        }
        if (!int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i) || i > 2)
        {
            return ApiErrors.BadRequest("Invalid thumbnail index (must be 0, 1, or 2)");
        }
        var perRecording = config.Current.Storage.ThumbnailsPerRecording;
        if (i > 0 && perRecording < 3)
        {
            return ApiErrors.Forbidden("Hover frames disabled (thumbnails_per_recording=1)");
        }
        var (row, path, error) = await RecordingAccess.FindFileAsync(id, context).ConfigureAwait(false);
        if (row is null)
        {
            return error!;
        }
        return await JpegAsync(thumbnails, row, path!, i, perRecording, context).ConfigureAwait(false);
    }

    /// <summary>The thumbnail as a day-cached JPEG; 503 with Retry-After while the generator is busy.</summary>
    private static async Task<IResult> JpegAsync(ThumbnailService thumbnails, RecordingRecord row, string path, int index,
        int perRecording, HttpContext context)
    {
        try
        {
            var jpeg = await thumbnails.GetAsync(row, path, index, perRecording, context.RequestAborted).ConfigureAwait(false);
            if (jpeg is null)
            {
                return ApiErrors.Status(500, "Failed to generate thumbnail");
            }
            context.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.File(jpeg, "image/jpeg");
        }
        catch (ThumbnailBusyException)
        {
            context.Response.Headers.RetryAfter = "2";
            return ApiErrors.Status(503, "Thumbnail generator busy");
        }
    }

    /// <summary>Upstream's types by extension, video/mp4 otherwise.</summary>
    public static string ContentTypeOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".mkv" => "video/x-matroska",
        ".webm" => "video/webm",
        ".avi" => "video/x-msvideo",
        _ => "video/mp4",
    };

    /// <summary>A filename safe in a Content-Disposition header: letters, digits, '.', '_' and '-' only.</summary>
    public static string SafeFileName(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_').ToArray();
        var safe = new string(chars).TrimStart('.');
        return safe.Length == 0 ? "recording.mp4" : safe;
    }
}
