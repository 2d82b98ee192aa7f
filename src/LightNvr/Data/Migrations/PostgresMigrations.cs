using System.Globalization;
using System.Text.RegularExpressions;

namespace LightNvr.Data.Migrations;

/// <summary>
/// The PostgreSQL form of every migration in <see cref="MigrationCatalog"/>, same numbers and names, so one
/// schema_migrations history means the same layout on both engines. Tables and indexes are the SQLite text with its
/// types translated (<see cref="Translate"/>: INTEGER → BIGINT, REAL → DOUBLE PRECISION, AUTOINCREMENT keys → identity
/// columns); booleans stay 0/1 integers so a row copies across unchanged. Triggers are PL/pgSQL functions doing what
/// the SQLite triggers of M0005 and M0006 do. Migration 2 converts seed-era SQLite files; no PostgreSQL database ever
/// held that era's data, so its PostgreSQL form only records the step.
/// </summary>
public static partial class PostgresMigrations
{
    /// <summary><c>recordings.is_complete = 1 AND deleting = 0</c> of a row as 0/1 (the list's visibility, M0005).</summary>
    private static string ListedOf(string row) =>
        $"(CASE WHEN {row}.is_complete = 1 AND {row}.deleting = 0 THEN 1 ELSE 0 END)";

    public static readonly IReadOnlyList<PostgresMigration> All =
    [
        new(1, "tables", string.Join(";\n", SchemaTables.All.Select(t =>
            Translate(string.Format(CultureInfo.InvariantCulture, t.Sql, t.Name)))) + ";"),
        new(2, "seed_era_data", "SELECT 1;"),
        new(3, "indexes", M0003Indexes.Sql),
        new(4, "recordings_complete_start_index", M0004CompleteStartIndex.Sql),
        new(5, "recording storage", $$"""
            ALTER TABLE recordings ADD COLUMN IF NOT EXISTS deleting BIGINT NOT NULL DEFAULT 0;
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
                listed BIGINT NOT NULL DEFAULT 0
            );
            DELETE FROM recording_list_counts;
            INSERT INTO recording_list_counts (stream_name, listed)
                SELECT stream_name, COUNT(*) FROM recordings WHERE is_complete = 1 AND deleting = 0 GROUP BY stream_name;
            CREATE OR REPLACE FUNCTION lightnvr_recordings_count() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                IF TG_OP <> 'INSERT' THEN
                    IF OLD.is_complete = 1 AND OLD.deleting = 0 THEN
                        UPDATE recording_list_counts SET listed = listed - 1 WHERE stream_name = OLD.stream_name;
                    END IF;
                END IF;
                IF TG_OP <> 'DELETE' THEN
                    IF NEW.is_complete = 1 AND NEW.deleting = 0 THEN
                        INSERT INTO recording_list_counts (stream_name, listed) VALUES (NEW.stream_name, 1)
                            ON CONFLICT (stream_name) DO UPDATE SET listed = recording_list_counts.listed + 1;
                    END IF;
                END IF;
                RETURN NULL;
            END
            $fn$;
            CREATE TRIGGER trg_recordings_count_insert AFTER INSERT ON recordings
                FOR EACH ROW WHEN (NEW.is_complete = 1 AND NEW.deleting = 0) EXECUTE FUNCTION lightnvr_recordings_count();
            CREATE TRIGGER trg_recordings_count_delete AFTER DELETE ON recordings
                FOR EACH ROW WHEN (OLD.is_complete = 1 AND OLD.deleting = 0) EXECUTE FUNCTION lightnvr_recordings_count();
            CREATE TRIGGER trg_recordings_count_update AFTER UPDATE OF is_complete, deleting, stream_name ON recordings
                FOR EACH ROW WHEN ({{ListedOf("OLD")}} <> {{ListedOf("NEW")}}
                    OR (OLD.stream_name <> NEW.stream_name AND NEW.is_complete = 1 AND NEW.deleting = 0))
                EXECUTE FUNCTION lightnvr_recordings_count();
            """),
        new(6, "tag list columns", $$"""
            ALTER TABLE recording_tags ADD COLUMN IF NOT EXISTS stream_name TEXT NOT NULL DEFAULT '';
            ALTER TABLE recording_tags ADD COLUMN IF NOT EXISTS start_time BIGINT NOT NULL DEFAULT 0;
            ALTER TABLE recording_tags ADD COLUMN IF NOT EXISTS listed BIGINT NOT NULL DEFAULT 0;
            UPDATE recording_tags SET (stream_name, start_time, listed) =
                (SELECT r.stream_name, r.start_time, {{ListedOf("r")}} FROM recordings r WHERE r.id = recording_tags.recording_id)
                WHERE recording_id IN (SELECT id FROM recordings);
            DROP INDEX IF EXISTS idx_recording_tags_tag_recording;
            CREATE INDEX IF NOT EXISTS idx_recording_tags_listed_start ON recording_tags (tag, start_time, recording_id)
                WHERE listed = 1;
            CREATE INDEX IF NOT EXISTS idx_recording_tags_listed_stream ON recording_tags (tag, stream_name, start_time, recording_id)
                WHERE listed = 1;
            CREATE TABLE IF NOT EXISTS recording_tag_counts (
                tag TEXT NOT NULL,
                stream_name TEXT NOT NULL,
                listed BIGINT NOT NULL DEFAULT 0,
                PRIMARY KEY (tag, stream_name)
            );
            DELETE FROM recording_tag_counts;
            INSERT INTO recording_tag_counts (tag, stream_name, listed)
                SELECT tag, stream_name, COUNT(*) FROM recording_tags WHERE listed = 1 GROUP BY tag, stream_name;

            -- A new tag row takes its recording's columns (whoever inserted it, and whatever it wrote there).
            CREATE OR REPLACE FUNCTION lightnvr_recording_tags_copy() RETURNS trigger LANGUAGE plpgsql AS $fn$
            DECLARE r recordings%ROWTYPE;
            BEGIN
                SELECT * INTO r FROM recordings WHERE id = NEW.recording_id;
                IF FOUND THEN
                    NEW.stream_name := r.stream_name;
                    NEW.start_time := r.start_time;
                    NEW.listed := {{ListedOf("r")}};
                END IF;
                RETURN NEW;
            END
            $fn$;
            CREATE TRIGGER trg_recording_tags_copy BEFORE INSERT ON recording_tags
                FOR EACH ROW EXECUTE FUNCTION lightnvr_recording_tags_copy();

            -- A recording that changes stream, start or visibility changes its tag rows too.
            CREATE OR REPLACE FUNCTION lightnvr_recordings_tags_sync() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                UPDATE recording_tags SET stream_name = NEW.stream_name, start_time = NEW.start_time, listed = {{ListedOf("NEW")}}
                    WHERE recording_id = NEW.id;
                RETURN NULL;
            END
            $fn$;
            CREATE TRIGGER trg_recordings_tags_sync AFTER UPDATE OF stream_name, start_time, is_complete, deleting ON recordings
                FOR EACH ROW WHEN (OLD.stream_name IS DISTINCT FROM NEW.stream_name OR OLD.start_time IS DISTINCT FROM NEW.start_time
                    OR {{ListedOf("OLD")}} <> {{ListedOf("NEW")}})
                EXECUTE FUNCTION lightnvr_recordings_tags_sync();

            CREATE OR REPLACE FUNCTION lightnvr_recording_tags_count() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                IF TG_OP <> 'INSERT' THEN
                    IF OLD.listed = 1 THEN
                        UPDATE recording_tag_counts SET listed = listed - 1 WHERE tag = OLD.tag AND stream_name = OLD.stream_name;
                    END IF;
                END IF;
                IF TG_OP <> 'DELETE' THEN
                    IF NEW.listed = 1 THEN
                        INSERT INTO recording_tag_counts (tag, stream_name, listed) VALUES (NEW.tag, NEW.stream_name, 1)
                            ON CONFLICT (tag, stream_name) DO UPDATE SET listed = recording_tag_counts.listed + 1;
                    END IF;
                END IF;
                RETURN NULL;
            END
            $fn$;
            CREATE TRIGGER trg_recording_tags_count_insert AFTER INSERT ON recording_tags
                FOR EACH ROW WHEN (NEW.listed = 1) EXECUTE FUNCTION lightnvr_recording_tags_count();
            CREATE TRIGGER trg_recording_tags_count_delete AFTER DELETE ON recording_tags
                FOR EACH ROW WHEN (OLD.listed = 1) EXECUTE FUNCTION lightnvr_recording_tags_count();
            CREATE TRIGGER trg_recording_tags_count_update AFTER UPDATE OF tag, stream_name, listed ON recording_tags
                FOR EACH ROW WHEN (OLD.listed <> NEW.listed OR (NEW.listed = 1 AND (OLD.tag <> NEW.tag OR OLD.stream_name <> NEW.stream_name)))
                EXECUTE FUNCTION lightnvr_recording_tags_count();
            """),
        new(7, "detection events", Translate(M0007DetectionEvents.Sql)),
        new(8, "webhooks", Translate(M0008Webhooks.Sql)),
        new(9, "stream motion gate", "ALTER TABLE streams ADD COLUMN IF NOT EXISTS detection_motion_gate BIGINT DEFAULT 1;"),
        new(10, "recorder nodes", Translate(M0010RecorderNodes.Sql)
            + "\nALTER TABLE recordings ADD COLUMN IF NOT EXISTS node_id TEXT NOT NULL DEFAULT '';"),
        new(11, "storage locations", Translate(M0011StorageLocations.Sql)
            + "\nALTER TABLE nodes ADD COLUMN IF NOT EXISTS storage_id TEXT NOT NULL DEFAULT '';"),
        new(12, "node relay", Translate(M0012NodeRelay.Sql)
            + "\nALTER TABLE nodes ADD COLUMN IF NOT EXISTS rtsp_address TEXT NOT NULL DEFAULT '';"),
        new(13, "event nodes", "ALTER TABLE detection_events ADD COLUMN IF NOT EXISTS node_id TEXT NOT NULL DEFAULT '';"
            + "\nALTER TABLE detections ADD COLUMN IF NOT EXISTS node_id TEXT NOT NULL DEFAULT '';"),
        new(14, "list indexes with id", M0014ListIndexesWithId.PostgresSql),
    ];

    /// <summary>
    /// SQLite DDL to PostgreSQL: AUTOINCREMENT keys become identity columns (BY DEFAULT, so a copy keeps its ids),
    /// INTEGER becomes BIGINT (SQLite integers are 64-bit), REAL becomes DOUBLE PRECISION.
    /// </summary>
    public static string Translate(string sqlite)
    {
        var sql = sqlite.Replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
            StringComparison.Ordinal);
        sql = IntegerType().Replace(sql, "BIGINT");
        sql = RealType().Replace(sql, "DOUBLE PRECISION");
        return sql.Replace(" WITHOUT ROWID", "", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\bINTEGER\b")]
    private static partial Regex IntegerType();

    [GeneratedRegex(@"\bREAL\b")]
    private static partial Regex RealType();
}
