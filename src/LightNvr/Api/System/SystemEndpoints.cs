using System.Text.Json;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Health;
using LightNvr.Hosting;
using LightNvr.Logging;

namespace LightNvr.Api.System;

/// <summary><c>/api/system/*</c> (upstream §9): info, status, logs, backup, restart and shutdown.</summary>
public static class SystemEndpoints
{
    /// <summary>Upstream's default <c>count</c> for the log tail.</summary>
    private const int DefaultLogCount = 500;

    public static IEndpointRouteBuilder MapSystemEndpoints(this IEndpointRouteBuilder app)
    {
        var system = app.MapGroup("/api/system").WithMetadata(StreamScope.None);
        system.MapGet("", InfoAsync).RequireAuthorization(Policies.Admin);
        system.MapGet("/info", InfoAsync).RequireAuthorization(Policies.Admin);
        system.MapGet("/status", () => Json(Message("status", "ok", "System running normally"))).AllowAnonymous();
        system.MapGet("/logs", (LogSink sink, string? level, int? count, string? last_ts) =>
            Json(LogsJson(sink, level, count ?? DefaultLogCount, last_ts))).RequireAuthorization(Policies.Admin);
        system.MapPost("/logs/clear", (LogSink sink) => Clear(sink)).RequireAuthorization(Policies.Admin);
        system.MapPost("/restart", (HostControl host) =>
        {
            host.RequestRestart();
            return Json(Success("System is restarting"));
        }).RequireAuthorization(Policies.Admin);
        system.MapPost("/backup", BackupAsync).RequireAuthorization(Policies.Admin);
        system.MapPost("/shutdown", (HostControl host) =>
        {
            host.RequestShutdown();
            return Json(Success("System is shutting down"));
        }).RequireAuthorization(Policies.Admin);
        return app;
    }

    /// <summary>
    /// <c>POST /api/system/backup</c> (admin): a fresh, consistent, integrity-checked copy of the database as a download
    /// (<c>lightnvr-backup-YYYYMMDD-HHMMSS.db</c>). Upstream wrote a JSON config file under the web root, downloadable
    /// by anyone with the camera passwords in it; here nothing is left behind: the copy is made in the backups folder
    /// beside the database and deleted once sent.
    /// </summary>
    private static async Task<IResult> BackupAsync(DatabaseBackup backup, TimeProvider time, CancellationToken ct)
    {
        if (!backup.IsSupported)
        {
            return Api.Http.ApiErrors.Status(StatusCodes.Status409Conflict,
                "The database is PostgreSQL: back it up with pg_dump (this endpoint copies a SQLite file)");
        }
        var temp = Path.Combine(backup.Folder, "download-" + Guid.NewGuid().ToString("N") + ".db");
        try
        {
            await backup.BackupToAsync(temp, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException
            or global::System.Data.Common.DbException)
        {
            return Api.Http.ApiErrors.Status(StatusCodes.Status500InternalServerError, "Backup failed: " + e.Message);
        }
        var name = "lightnvr-backup-" + DatabaseBackup.FileNameFor(time.GetUtcNow())[DatabaseBackup.FilePrefix.Length..];
        var stream = new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        return Results.File(stream, "application/vnd.sqlite3", name);
    }

    private static IResult Clear(LogSink sink)
    {
        try
        {
            sink.Clear();
            return Json(Success("Logs cleared successfully"));
        }
        catch (IOException)
        {
            return Results.Text(global::System.Text.Encoding.UTF8.GetString(Success("Failed to clear logs", success: false)), "application/json", statusCode: 500);
        }
    }

    /// <summary>Upstream's system info, plus the recorder nodes (<see cref="ClusterNodesJson"/>).</summary>
    /// <remarks>The nodes are added where the recording subsystem runs (always in the server; not in hosts built without it).</remarks>
    private static async Task<IResult> InfoAsync(SystemInfoService info, HttpContext context, CancellationToken ct)
    {
        var services = context.RequestServices;
        return services.GetService<Recording.RecordingLeases>() is { } leases && services.GetService<LeaseStore>() is { } store
            && services.GetService<Recording.RecordingService>() is { } recording
            ? Json(await ClusterNodesJson.AddToAsync(info.BuildJson(), leases, store, recording, ct).ConfigureAwait(false))
            : Json(info.BuildJson());
    }

    private static IResult Json(byte[] body) => Results.Bytes(body, "application/json");

    private static byte[] LogsJson(LogSink sink, string? level, int count, string? lastTs)
    {
        var records = sink.Ring.Query(LogLevels.Parse(level), Math.Clamp(count, 0, LogRingBuffer.MaxEntries), lastTs);
        return Write(w =>
        {
            w.WriteStartArray("logs");
            foreach (var r in records)
            {
                w.WriteStartObject();
                w.WriteString("timestamp", r.TimestampText);
                w.WriteString("level", LogLevels.Name(r.Level));
                w.WriteString("message", r.Message);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("file", sink.FilePath ?? "");
            w.WriteString("level", LogLevels.Name(sink.MinLevel));
        });
    }

    private static byte[] Success(string message, bool success = true) => Write(w =>
    {
        w.WriteBoolean("success", success);
        w.WriteString("message", message);
    });

    private static byte[] Message(string name, string value, string message) => Write(w =>
    {
        w.WriteString(name, value);
        w.WriteString("message", message);
    });

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return stream.ToArray();
    }
}
