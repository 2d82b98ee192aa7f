using Microsoft.Data.Sqlite;

namespace LightNvr.Data.Migrations;

/// <summary>
/// Indexes for the queries that must stay fast at a million recordings (architecture.md targets): a stream's page by
/// time, all streams by time, the complete-only list, retention's protected and trigger_type scans; detections by
/// stream and time; sessions by user.
/// </summary>
public sealed class M0003Indexes : Migration
{
    public override int Version => 3;
    public override string Name => "indexes";

    /// <summary>The statements; PostgresMigrations runs the same text, types translated.</summary>
    public const string Sql = """
            CREATE INDEX IF NOT EXISTS idx_recordings_stream_name ON recordings (stream_name);
            CREATE INDEX IF NOT EXISTS idx_recordings_stream_start ON recordings (stream_name, start_time);
            CREATE INDEX IF NOT EXISTS idx_recordings_start_time ON recordings (start_time);
            CREATE INDEX IF NOT EXISTS idx_recordings_end_time ON recordings (end_time);
            CREATE INDEX IF NOT EXISTS idx_recordings_complete_stream_start ON recordings (is_complete, stream_name, start_time);
            CREATE INDEX IF NOT EXISTS idx_recordings_protected ON recordings (protected);
            CREATE INDEX IF NOT EXISTS idx_recordings_trigger_type ON recordings (trigger_type);
            CREATE INDEX IF NOT EXISTS idx_detections_stream_time ON detections (stream_name, timestamp);
            CREATE INDEX IF NOT EXISTS idx_detections_stream_source_time ON detections (stream_name, source, timestamp);
            CREATE INDEX IF NOT EXISTS idx_detections_recording ON detections (recording_id);
            CREATE INDEX IF NOT EXISTS idx_events_timestamp ON events (timestamp);
            CREATE INDEX IF NOT EXISTS idx_sessions_user ON sessions (user_id);
            CREATE INDEX IF NOT EXISTS idx_trusted_devices_user ON trusted_devices (user_id);
            CREATE INDEX IF NOT EXISTS idx_recording_tags_tag ON recording_tags (tag);
            """;

    public override Task ApplyAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, Sql, cancellationToken);
}
