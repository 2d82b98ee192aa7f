using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LightNvr.Data;

/// <summary>
/// Migrates the database when the host starts, before any later-registered hosted service runs. A newer schema
/// throws <see cref="SchemaTooNewException"/> out of StartAsync, which stops the host with that message. A restore
/// staged by <c>POST /api/system/restore</c> or <c>lightnvr db restore</c> is applied first
/// (<see cref="DatabaseRestore.ApplyPendingAsync"/>), before anything opens the file.
/// </summary>
public sealed partial class DatabaseMigrationService(Database database, TimeProvider time, ILogger<DatabaseMigrationService> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (database.Engine == DatabaseEngine.Sqlite &&
            await DatabaseRestore.ApplyPendingAsync(database.Path, time, cancellationToken).ConfigureAwait(false) is { } restore)
        {
            if (restore.Applied)
            {
                LogRestored(database.Path, restore.Check!.SchemaVersion, restore.Check.Streams, restore.Check.Recordings, restore.Kept);
            }
            else
            {
                LogRestoreRejected(restore.Kept, restore.Error!);
            }
        }

        var result = await database.MigrateAsync(time, cancellationToken).ConfigureAwait(false);
        if (result.Applied.Count > 0)
        {
            LogMigrated(database.Path, result.FromVersion, result.ToVersion);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Warning,
        "Database {Path} restored from the staged backup (schema {Version}, {Streams} streams, {Recordings} recordings); the previous files are in {Kept}")]
    private partial void LogRestored(string path, int version, long streams, long recordings, string kept);

    [LoggerMessage(LogLevel.Error, "Staged restore not applied, kept as {Kept}: {Reason}; the current database stays")]
    private partial void LogRestoreRejected(string kept, string reason);

    [LoggerMessage(LogLevel.Information, "Database {Path} migrated from schema version {From} to {To}")]
    private partial void LogMigrated(string path, int from, int to);
}
