using Microsoft.Data.Sqlite;

namespace LightNvr.Data.Migrations;

/// <summary>
/// The list's partial time indexes end in <c>id</c>, the list's tie-break (<c>ORDER BY start_time DESC, id DESC</c>),
/// so a page's ids come from the index alone. On SQLite this is already so: an index's entries end in the rowid, which
/// <c>recordings.id</c> is (INTEGER PRIMARY KEY), so this step does nothing there. PostgreSQL's M0005 indexes lacked
/// it: the planner sorted each start time's rows by id (an incremental sort over the heap rows), picked the all-streams
/// index for one stream's deep page (1 M rows, page 100 of 100: 20 ms) and could not read a deep page's ids without
/// visiting every skipped row (docs/BENCHMARKS.md, "Recordings list on PostgreSQL"). Its PostgreSQL form rebuilds both
/// indexes under the same names with <c>id</c> added (PostgresMigrations).
/// </summary>
public sealed class M0014ListIndexesWithId : Migration
{
    public override int Version => 14;
    public override string Name => "list indexes with id";

    public override Task ApplyAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>The PostgreSQL form: the same names and condition as M0005, <c>id</c> appended.</summary>
    public const string PostgresSql = """
        DROP INDEX IF EXISTS idx_recordings_listed_start;
        CREATE INDEX idx_recordings_listed_start ON recordings (start_time, id)
            WHERE is_complete = 1 AND deleting = 0;
        DROP INDEX IF EXISTS idx_recordings_listed_stream_start;
        CREATE INDEX idx_recordings_listed_stream_start ON recordings (stream_name, start_time, id)
            WHERE is_complete = 1 AND deleting = 0;
        """;
}
