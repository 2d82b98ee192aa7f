using Microsoft.Data.Sqlite;

namespace LightNvr.Data.Migrations;

/// <summary>
/// Live view relayed between recorder nodes (ours, issue 19, docs/scale.md "Live view on any node"):
/// <c>nodes.rtsp_address</c> is where a node's RTSP restream server is reached by the other nodes (its
/// <c>[cluster] rtsp_url</c>, written by the heartbeat; '' = none), and <c>cluster_secrets</c> holds secrets the nodes
/// share, created once by the first node that needs one (insert-if-absent) and read by every node: today the password
/// of the node-to-node relay credential. Never copied by <c>db migrate</c> (a new cluster makes its own).
/// </summary>
public sealed class M0012NodeRelay : Migration
{
    public override int Version => 12;
    public override string Name => "node relay";

    /// <summary>The new table; PostgresMigrations runs the same text, types translated.</summary>
    public const string Sql = """
            CREATE TABLE IF NOT EXISTS cluster_secrets (
                name TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                created_at INTEGER NOT NULL DEFAULT 0
            );
            """;

    public override async Task ApplyAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, Sql, cancellationToken).ConfigureAwait(false);
        var columns = await ColumnsAsync(connection, transaction, "main", "nodes", cancellationToken).ConfigureAwait(false);
        if (!columns.Contains("rtsp_address"))
        {
            await ExecuteAsync(connection, transaction, "ALTER TABLE nodes ADD COLUMN rtsp_address TEXT NOT NULL DEFAULT '';",
                cancellationToken).ConfigureAwait(false);
        }
    }
}
