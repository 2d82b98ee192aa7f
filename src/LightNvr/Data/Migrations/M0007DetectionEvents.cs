using Microsoft.Data.Sqlite;

namespace LightNvr.Data.Migrations;

/// <summary>
/// The event spine's table (docs/events.md): one row per event, whatever its source (motion, objects, ONVIF, the
/// external trigger). Named <c>detection_events</c> because the seed's <c>events</c> table already holds system events
/// (type, timestamp, description). An open event has <c>end_time</c> NULL; <c>last_seen</c> is its last observation, so
/// start-up can close what a crash left open at the last thing actually seen (kill -9 safety). Times are unix seconds.
/// </summary>
public sealed class M0007DetectionEvents : Migration
{
    public override int Version => 7;
    public override string Name => "detection events";

    /// <summary>The statements; PostgresMigrations runs the same text, types translated.</summary>
    public const string Sql = """
            CREATE TABLE IF NOT EXISTS detection_events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                stream_name TEXT NOT NULL,
                source TEXT NOT NULL,
                label TEXT NOT NULL,
                confidence REAL NOT NULL DEFAULT 0,
                x REAL, y REAL, width REAL, height REAL,
                zone_id TEXT DEFAULT NULL,
                start_time INTEGER NOT NULL,
                end_time INTEGER DEFAULT NULL,
                last_seen INTEGER NOT NULL,
                snapshot_path TEXT DEFAULT NULL,
                recording_id INTEGER DEFAULT NULL REFERENCES recordings(id) ON DELETE SET NULL,
                created_at INTEGER DEFAULT 0
            );
            CREATE INDEX IF NOT EXISTS idx_detection_events_start ON detection_events (start_time, id);
            CREATE INDEX IF NOT EXISTS idx_detection_events_stream_start ON detection_events (stream_name, start_time, id);
            CREATE INDEX IF NOT EXISTS idx_detection_events_open ON detection_events (id) WHERE end_time IS NULL;
            -- The foreign key's child index: deleting a recording (retention) finds its events without a scan.
            CREATE INDEX IF NOT EXISTS idx_detection_events_recording ON detection_events (recording_id);
            """;

    public override Task ApplyAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, Sql, cancellationToken);
}
