using Microsoft.Data.Sqlite;

namespace LightNvr.Data.Migrations;

/// <summary>
/// Which recorder node wrote an event or a detection row (ours, issue 19, docs/scale.md "Retention with several
/// nodes"): <c>detection_events.node_id</c> and <c>detections.node_id</c>, '' for rows from before (and on one box),
/// so the purge of old events and detections (and their snapshot JPEGs, on the writer's disk) follows the same
/// per-location rule as the recordings' retention.
/// </summary>
public sealed class M0013EventNodes : Migration
{
    public override int Version => 13;
    public override string Name => "event nodes";

    /// <summary>The tables that gain the column (PostgresMigrations adds it with IF NOT EXISTS).</summary>
    public static readonly IReadOnlyList<string> Tables = ["detection_events", "detections"];

    public override async Task ApplyAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        foreach (var table in Tables)
        {
            var columns = await ColumnsAsync(connection, transaction, "main", table, cancellationToken).ConfigureAwait(false);
            if (!columns.Contains("node_id"))
            {
                await ExecuteAsync(connection, transaction, $"ALTER TABLE {table} ADD COLUMN node_id TEXT NOT NULL DEFAULT '';",
                    cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
