using System.Text.Json.Nodes;
using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace LightNvr.Api.System;

/// <summary>
/// Restoring a database backup through the API (admin only; ours: upstream's restore was a JSON config upload).
/// <c>POST /api/system/restore</c> takes the file as the raw body (<c>curl --data-binary @FILE</c>) or as the first
/// file of a <c>multipart/form-data</c> upload, checks it and stages it (<see cref="DatabaseRestore"/>); the server
/// swaps it in at its next start, which <c>?restart=true</c> asks for at once (exit code 75, docs/operations.md).
/// <c>GET</c> says what is staged, <c>DELETE</c> drops it. A bad file is a 400 naming what is wrong; nothing is replaced.
/// </summary>
public static class RestoreEndpoints
{
    /// <summary>
    /// Largest backup accepted: 4 GiB. The server's usual body cap (256 KB) is lifted for this route only; a database
    /// with a million recording rows is a few hundred MB (each row well under 500 bytes), so this is far above any box.
    /// </summary>
    public const long MaxUploadBytes = 4L * 1024 * 1024 * 1024;

    public const string Path = "/api/system/restore";

    public static IEndpointRouteBuilder MapRestoreEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, PostAsync).RequireAuthorization(Policies.Admin).WithMetadata(StreamScope.None);
        app.MapGet(Path, GetAsync).RequireAuthorization(Policies.Admin).WithMetadata(StreamScope.None);
        app.MapDelete(Path, (DatabaseRestore restore) => restore.CancelPending()
            ? JsonReply.Ok(new JsonObject { ["success"] = true, ["message"] = "Staged restore removed" })
            : ApiErrors.Status(StatusCodes.Status404NotFound, "No restore is staged"))
            .RequireAuthorization(Policies.Admin).WithMetadata(StreamScope.None);
        return app;
    }

    private static async Task<IResult> GetAsync(DatabaseRestore restore, CancellationToken ct)
    {
        if (!restore.IsSupported)
        {
            return NotSqlite();
        }

        try
        {
            return await restore.PendingAsync(ct).ConfigureAwait(false) is { } check
                ? JsonReply.Ok(Describe(check, "A restore is staged: it replaces the database at the next start"))
                : JsonReply.Ok(new JsonObject { ["pending"] = false });
        }
        catch (InvalidDataException e)
        {
            return JsonReply.Ok(new JsonObject { ["pending"] = true, ["error"] = e.Message });
        }
    }

    private static async Task<IResult> PostAsync(HttpContext context, DatabaseRestore restore, HostControl host)
    {
        if (!restore.IsSupported)
        {
            return NotSqlite();
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxUploadBytes;
        }

        if (context.Request.ContentLength > MaxUploadBytes)
        {
            return TooLarge();
        }

        DatabaseRestoreCheck check;
        try
        {
            var body = await OpenUploadAsync(context.Request).ConfigureAwait(false);
            if (body is null)
            {
                return ApiErrors.BadRequest("multipart upload without a file part");
            }

            check = await restore.StageAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            return e.StatusCode == StatusCodes.Status413PayloadTooLarge ? TooLarge()
                : ApiErrors.BadRequest("Malformed request body: " + e.Message);
        }
        catch (InvalidDataException e)
        {
            return ApiErrors.BadRequest("Not a usable backup: " + e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ApiErrors.Status(StatusCodes.Status500InternalServerError, "Could not stage the restore: " + e.Message);
        }

        var restart = string.Equals(context.Request.Query["restart"], "true", StringComparison.OrdinalIgnoreCase);
        var reply = Describe(check, restart
            ? "Backup checked and staged; the server restarts now and comes back with it"
            : "Backup checked and staged; it replaces the database at the next start (POST /api/system/restart)");
        reply["success"] = true;
        reply["restarting"] = restart;
        if (restart)
        {
            context.Response.OnCompleted(() =>
            {
                host.RequestRestart();
                return Task.CompletedTask;
            });
        }

        return JsonReply.Ok(reply, StatusCodes.Status202Accepted);
    }

    /// <summary>The body itself, or the first file part of a multipart/form-data upload (read as it streams).</summary>
    private static async Task<Stream?> OpenUploadAsync(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) ||
            !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return request.Body;
        }

        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            throw new InvalidDataException("multipart/form-data without a boundary");
        }

        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = MaxUploadBytes };
        while (await reader.ReadNextSectionAsync(request.HttpContext.RequestAborted).ConfigureAwait(false) is { } section)
        {
            if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) &&
                disposition.IsFileDisposition())
            {
                return section.Body;
            }
        }

        return null;
    }

    private static JsonObject Describe(DatabaseRestoreCheck check, string message) => new()
    {
        ["pending"] = true,
        ["message"] = message,
        ["schema_version"] = check.SchemaVersion,
        ["current_schema_version"] = check.KnownVersion,
        ["streams"] = check.Streams,
        ["users"] = check.Users,
        ["recordings"] = check.Recordings,
        ["size_bytes"] = check.Bytes,
    };

    private static IResult TooLarge() =>
        ApiErrors.Status(StatusCodes.Status413PayloadTooLarge, $"A backup may be at most {MaxUploadBytes} bytes");

    private static IResult NotSqlite() => ApiErrors.Status(StatusCodes.Status409Conflict,
        "The database is PostgreSQL: restore it with pg_restore (this endpoint restores a SQLite file)");
}
