using Microsoft.Data.Sqlite;

namespace LightNvr.Data.Migrations;

/// <summary>
/// Recorder nodes (ours, issue 19, docs/scale.md): <c>nodes</c> has one row per server sharing the database (its
/// <c>[cluster] node_id</c>, API address, capacity, last heartbeat, version); <c>camera_leases</c> says which node
/// records each stream until <c>expires_at</c> (unix milliseconds of the database's clock), with an <c>epoch</c> that
/// grows at every change of holder (the fencing token: a recording row is inserted only while its writer's epoch is
/// the lease's). <c>recordings.node_id</c> names the node that wrote a row ('' for rows from before).
/// </summary>
public sealed class M0010RecorderNodes : Migration
{
    public override int Version => 10;
    public override string Name => "recorder nodes";

    /// <summary>The tables; PostgresMigrations runs the same text, types translated.</summary>
    public const string Sql = """
            CREATE TABLE IF NOT EXISTS nodes (
                node_id TEXT PRIMARY KEY,
                address TEXT NOT NULL DEFAULT '',
                capacity INTEGER NOT NULL DEFAULT 16,
                pinned_streams TEXT NOT NULL DEFAULT '',
                version TEXT NOT NULL DEFAULT '',
                started_at INTEGER NOT NULL DEFAULT 0,
                heartbeat_at INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE IF NOT EXISTS camera_leases (
                stream_name TEXT PRIMARY KEY,
                node_id TEXT NOT NULL,
                epoch INTEGER NOT NULL,
                expires_at INTEGER NOT NULL
            );
            CREATE INDEX IF NOT EXISTS idx_camera_leases_node ON camera_leases (node_id);
            """;

    public override async Task ApplyAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, Sql, cancellationToken).ConfigureAwait(false);
        var columns = await ColumnsAsync(connection, transaction, "main", "recordings", cancellationToken).ConfigureAwait(false);
        if (!columns.Contains("node_id"))
        {
            await ExecuteAsync(connection, transaction, "ALTER TABLE recordings ADD COLUMN node_id TEXT NOT NULL DEFAULT '';",
                cancellationToken).ConfigureAwait(false);
        }
    }
}
