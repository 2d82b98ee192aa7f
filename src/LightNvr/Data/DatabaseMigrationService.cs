using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LightNvr.Data;

/// <summary>
/// Migrates the database when the host starts, before any later-registered hosted service runs. A newer schema
/// throws <see cref="SchemaTooNewException"/> out of StartAsync, which stops the host with that message.
/// </summary>
public sealed partial class DatabaseMigrationService(Database database, TimeProvider time, ILogger<DatabaseMigrationService> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var result = await database.MigrateAsync(time, cancellationToken).ConfigureAwait(false);
        if (result.Applied.Count > 0)
        {
            LogMigrated(database.Path, result.FromVersion, result.ToVersion);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Database {Path} migrated from schema version {From} to {To}")]
    private partial void LogMigrated(string path, int from, int to);
}
