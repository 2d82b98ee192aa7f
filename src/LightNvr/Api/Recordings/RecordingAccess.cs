using System.Globalization;
using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Storage;

namespace LightNvr.Api.Recordings;

/// <summary>
/// The one way a recordings endpoint turns an <c>{id}</c> into a row and a file: 400 for a bad id, 404 for no row (or
/// a row being deleted), 403 when the caller's allowed tags do not cover the recording's stream, and the file's real
/// path only when it lies inside the storage root (symlinks resolved) — else, when another recorder node wrote it, the
/// proxy to that node (<see cref="NodeProxy"/>), or 404 "Recording file not found".
/// </summary>
public static class RecordingAccess
{
    public static bool TryParseId(string? text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;

    /// <summary>The row the caller may see, or the error to return.</summary>
    public static async Task<(RecordingRecord? Row, IResult? Error)> FindAsync(string id, HttpContext context)
    {
        if (!TryParseId(id, out var value))
        {
            return (null, ApiErrors.BadRequest("Invalid recording ID"));
        }
        var services = context.RequestServices;
        var row = await services.GetRequiredService<RecordingStore>().GetAsync(value, context.RequestAborted).ConfigureAwait(false);
        if (row is null || row.Deleting)
        {
            return (null, ApiErrors.NotFound("Recording not found"));
        }
        return await MayAccessAsync(row.StreamName, context).ConfigureAwait(false)
            ? (row, null)
            : (null, ApiErrors.Forbidden(StreamAccess.Denied));
    }

    /// <summary>The row and its real file path inside the storage root, or the error to return.</summary>
    public static async Task<(RecordingRecord? Row, string? Path, IResult? Error)> FindFileAsync(string id, HttpContext context)
    {
        var (row, error) = await FindAsync(id, context).ConfigureAwait(false);
        if (row is null)
        {
            return (null, null, error);
        }
        var path = context.RequestServices.GetRequiredService<StorageRoot>().Resolve(row.FilePath);
        if (path is not null && File.Exists(path))
        {
            return (row, path, null);
        }
        // Not on this node's disk: another recorder node's file is served by that node (docs/scale.md).
        return (null, null, await NodeProxy.ToOwnerAsync(row.NodeId, context).ConfigureAwait(false)
            ?? ApiErrors.NotFound("Recording file not found"));
    }

    /// <summary>The one stream access check (<see cref="StreamAccess"/>) for the caller of <paramref name="context"/>.</summary>
    public static Task<bool> MayAccessAsync(string stream, HttpContext context) =>
        context.RequestServices.GetRequiredService<StreamAccess>().MayAccessAsync(context, stream);
}
