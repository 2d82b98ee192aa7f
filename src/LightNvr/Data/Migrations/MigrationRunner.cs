using Microsoft.Data.Sqlite;

namespace LightNvr.Data.Migrations;

/// <summary>
/// Applies pending migrations in order, each in its own transaction together with its schema_migrations row, so a
/// crash leaves the file at a recorded version. Refuses a file whose recorded version is newer than the catalogue.
/// </summary>
public sealed class MigrationRunner(IReadOnlyList<Migration> migrations, TimeProvider time)
{
    public async Task<MigrationResult> RunAsync(SqliteConnection connection, string path, CancellationToken cancellationToken)
    {
        var known = migrations.Count == 0 ? 0 : migrations.Max(m => m.Version);
        if (await UpstreamVersionAsync(connection, cancellationToken).ConfigureAwait(false) is { } upstream)
        {
            throw SchemaTooNewException.ForUpstream(path, upstream);
        }

        using (var create = connection.CreateCommand())
        {
            create.CommandText =
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '', applied_at INTEGER NOT NULL DEFAULT 0)";
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var current = await CurrentVersionAsync(connection, cancellationToken).ConfigureAwait(false);
        if (current > known)
        {
            throw new SchemaTooNewException(path, current, known);
        }

        var applied = new List<int>();
        foreach (var migration in migrations.Where(m => m.Version > current).OrderBy(m => m.Version))
        {
            using var transaction = connection.BeginTransaction();
            await migration.ApplyAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($v, $n, $t)";
                record.Parameters.AddWithValue("$v", migration.Version);
                record.Parameters.AddWithValue("$n", migration.Name);
                record.Parameters.AddWithValue("$t", time.GetUtcNow().ToUnixTimeSeconds());
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            transaction.Commit();
            applied.Add(migration.Version);
        }

        return new MigrationResult(current, Math.Max(current, applied.Count == 0 ? current : applied[^1]), applied);
    }

    /// <summary>
    /// Upstream LightNVR's highest migration when the file is upstream's own, else null. Upstream's tracking table is
    /// <c>schema_migrations (version TEXT PRIMARY KEY, applied_at INTEGER)</c> with versions "0001"…; ours has a
    /// <c>name</c> column, so a table without one was made by upstream.
    /// </summary>
    public static async Task<int?> UpstreamVersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var columns = connection.CreateCommand();
        columns.CommandText = "SELECT COUNT(*), COALESCE(SUM(name = 'name'), 0) FROM pragma_table_info('schema_migrations')";
        using (var reader = await columns.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false) || reader.GetInt64(0) == 0 || reader.GetInt64(1) > 0)
            {
                return null;
            }
        }

        return await CurrentVersionAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<int> CurrentVersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT COALESCE(MAX(CAST(version AS INTEGER)), 0) FROM schema_migrations";
        return Convert.ToInt32(await query.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
            System.Globalization.CultureInfo.InvariantCulture);
    }
}
