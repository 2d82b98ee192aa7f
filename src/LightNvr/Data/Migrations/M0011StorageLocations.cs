using Microsoft.Data.Sqlite;

namespace LightNvr.Data.Migrations;

/// <summary>
/// Storage locations of recorder nodes (ours, issue 19, docs/scale.md "Retention"): <c>nodes.storage_id</c> is a node's
/// <c>[cluster] storage_id</c> (nodes with the same non-empty value share one storage path; '' = its own), and
/// <c>storage_sweeps</c> holds one lease row per shared location naming the node that runs its retention sweep until
/// <c>expires_at</c> (unix milliseconds of the database's clock, as <c>camera_leases</c>).
/// </summary>
public sealed class M0011StorageLocations : Migration
{
    public override int Version => 11;
    public override string Name => "storage locations";

    /// <summary>The new table; PostgresMigrations runs the same text, types translated.</summary>
    public const string Sql = """
            CREATE TABLE IF NOT EXISTS storage_sweeps (
                storage_id TEXT PRIMARY KEY,
                node_id TEXT NOT NULL,
                expires_at INTEGER NOT NULL
            );
            """;

    public override async Task ApplyAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, Sql, cancellationToken).ConfigureAwait(false);
        var columns = await ColumnsAsync(connection, transaction, "main", "nodes", cancellationToken).ConfigureAwait(false);
        if (!columns.Contains("storage_id"))
        {
            await ExecuteAsync(connection, transaction, "ALTER TABLE nodes ADD COLUMN storage_id TEXT NOT NULL DEFAULT '';",
                cancellationToken).ConfigureAwait(false);
        }
    }
}
