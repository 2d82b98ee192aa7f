using Npgsql;

namespace LightNvr.Data.Migrations;

/// <summary>
/// Applies pending <see cref="PostgresMigration"/>s in order, each in its own transaction with its schema_migrations
/// row, under a session advisory lock so two nodes starting together against one database migrate one after the
/// other (the second sees the first's rows and applies nothing). Refuses a database whose recorded version is newer.
/// </summary>
public sealed class PostgresMigrationRunner(IReadOnlyList<PostgresMigration> migrations, TimeProvider time)
{
    /// <summary>The advisory lock's key: "LNVR" in ASCII, one number every LightNVR node agrees on.</summary>
    public const long AdvisoryLockKey = 0x4C4E5652;

    public async Task<MigrationResult> RunAsync(NpgsqlConnection connection, string description, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, null,
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL DEFAULT '', applied_at BIGINT NOT NULL DEFAULT 0)",
                cancellationToken).ConfigureAwait(false);
            var known = migrations.Count == 0 ? 0 : migrations.Max(m => m.Version);
            var current = await CurrentVersionAsync(connection, cancellationToken).ConfigureAwait(false);
            if (current > known)
            {
                throw new SchemaTooNewException(description, current, known);
            }

            var applied = new List<int>();
            foreach (var migration in migrations.Where(m => m.Version > current).OrderBy(m => m.Version))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
                await using (var record = new NpgsqlCommand(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)", connection, transaction))
                {
                    record.Parameters.AddWithValue("v", (long)migration.Version);
                    record.Parameters.AddWithValue("n", migration.Name);
                    record.Parameters.AddWithValue("t", time.GetUtcNow().ToUnixTimeSeconds());
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                applied.Add(migration.Version);
            }

            return new MigrationResult(current, applied.Count == 0 ? current : applied[^1], applied);
        }
        finally
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None).ConfigureAwait(false);
        }
    }

    public static async Task<int> CurrentVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var query = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", connection);
        return Convert.ToInt32(await query.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
            System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
