using Microsoft.Data.Sqlite;

namespace LightNvr.Data.Migrations;

/// <summary>
/// Storage management and the million-row list (docs/storage.md): a <c>deleting</c> mark for crash-safe deletion
/// (mark, unlink, delete row; marked rows are finished at start-up), partial indexes covering exactly the rows the
/// list shows (complete and not being deleted) by time, by stream and time, by protected and by trigger type (so those
/// filters count index-only), tags by (tag, recording_id), and
/// <c>recording_list_counts</c>, kept by triggers, so an unfiltered or per-stream list total is one row read instead
/// of a COUNT over a million rows.
/// </summary>
public sealed class M0005RecordingStorage : Migration
{
    public override int Version => 5;
    public override string Name => "recording storage";

    public override async Task ApplyAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var columns = await ColumnsAsync(connection, transaction, "main", "recordings", cancellationToken).ConfigureAwait(false);
        if (!columns.Contains("deleting"))
        {
            await ExecuteAsync(connection, transaction, "ALTER TABLE recordings ADD COLUMN deleting INTEGER NOT NULL DEFAULT 0;",
                cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, transaction, """
            CREATE INDEX IF NOT EXISTS idx_recordings_listed_start ON recordings (start_time)
                WHERE is_complete = 1 AND deleting = 0;
            CREATE INDEX IF NOT EXISTS idx_recordings_listed_stream_start ON recordings (stream_name, start_time)
                WHERE is_complete = 1 AND deleting = 0;
            CREATE INDEX IF NOT EXISTS idx_recordings_listed_protected ON recordings (protected, start_time)
                WHERE is_complete = 1 AND deleting = 0;
            CREATE INDEX IF NOT EXISTS idx_recordings_listed_trigger ON recordings (trigger_type, stream_name, start_time)
                WHERE is_complete = 1 AND deleting = 0;
            CREATE INDEX IF NOT EXISTS idx_recordings_deleting ON recordings (id) WHERE deleting = 1;
            CREATE INDEX IF NOT EXISTS idx_recording_tags_tag_recording ON recording_tags (tag, recording_id);
            CREATE TABLE IF NOT EXISTS recording_list_counts (
                stream_name TEXT PRIMARY KEY,
                listed INTEGER NOT NULL DEFAULT 0
            );
            DELETE FROM recording_list_counts;
            INSERT INTO recording_list_counts (stream_name, listed)
                SELECT stream_name, COUNT(*) FROM recordings WHERE is_complete = 1 AND deleting = 0 GROUP BY stream_name;
            CREATE TRIGGER IF NOT EXISTS trg_recordings_count_insert AFTER INSERT ON recordings
                WHEN NEW.is_complete = 1 AND NEW.deleting = 0
            BEGIN
                INSERT INTO recording_list_counts (stream_name, listed) VALUES (NEW.stream_name, 1)
                    ON CONFLICT (stream_name) DO UPDATE SET listed = listed + 1;
            END;
            CREATE TRIGGER IF NOT EXISTS trg_recordings_count_delete AFTER DELETE ON recordings
                WHEN OLD.is_complete = 1 AND OLD.deleting = 0
            BEGIN
                UPDATE recording_list_counts SET listed = listed - 1 WHERE stream_name = OLD.stream_name;
            END;
            CREATE TRIGGER IF NOT EXISTS trg_recordings_count_update AFTER UPDATE OF is_complete, deleting, stream_name ON recordings
                WHEN (OLD.is_complete = 1 AND OLD.deleting = 0) <> (NEW.is_complete = 1 AND NEW.deleting = 0)
                  OR (OLD.stream_name <> NEW.stream_name AND NEW.is_complete = 1 AND NEW.deleting = 0)
            BEGIN
                UPDATE recording_list_counts SET listed = listed - 1
                    WHERE stream_name = OLD.stream_name AND OLD.is_complete = 1 AND OLD.deleting = 0;
                INSERT INTO recording_list_counts (stream_name, listed)
                    SELECT NEW.stream_name, 1 WHERE NEW.is_complete = 1 AND NEW.deleting = 0
                    ON CONFLICT (stream_name) DO UPDATE SET listed = listed + 1;
            END;
            """, cancellationToken).ConfigureAwait(false);
    }
}
