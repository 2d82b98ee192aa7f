namespace LightNvr.Data.Migrations;

/// <summary>
/// The current shape of every table, column names and defaults as upstream LightNVR has them after its migration 0046
/// (lightnvr-upstream.md §4), so external tools reading the file keep working. <c>{0}</c> is the table name: the same
/// text creates the real table and a scratch copy whose shape tells which columns an older file lacks.
/// Times are unix seconds, as upstream stores them.
/// </summary>
public static class SchemaTables
{
    public static readonly IReadOnlyList<(string Name, string Sql)> All =
    [
        ("streams", """
            CREATE TABLE IF NOT EXISTS {0} (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL UNIQUE,
                url TEXT NOT NULL,
                enabled INTEGER DEFAULT 1,
                streaming_enabled INTEGER DEFAULT 1,
                width INTEGER DEFAULT 1280,
                height INTEGER DEFAULT 720,
                fps INTEGER DEFAULT 30,
                codec TEXT DEFAULT 'h264',
                priority INTEGER DEFAULT 5,
                record INTEGER DEFAULT 1,
                segment_duration INTEGER DEFAULT 900,
                detection_based_recording INTEGER DEFAULT 0,
                detection_model TEXT DEFAULT '',
                detection_threshold REAL DEFAULT 0.5,
                detection_interval INTEGER DEFAULT 10,
                pre_detection_buffer INTEGER DEFAULT 0,
                post_detection_buffer INTEGER DEFAULT 3,
                protocol INTEGER DEFAULT 0,
                is_onvif INTEGER DEFAULT 0,
                record_audio INTEGER DEFAULT 1,
                detection_api_url TEXT DEFAULT '',
                backchannel_enabled INTEGER DEFAULT 0,
                retention_days INTEGER DEFAULT 30,
                detection_retention_days INTEGER DEFAULT 90,
                max_storage_mb INTEGER DEFAULT 0,
                ptz_enabled INTEGER DEFAULT 0,
                ptz_max_x INTEGER DEFAULT 0,
                ptz_max_y INTEGER DEFAULT 0,
                ptz_max_z INTEGER DEFAULT 0,
                ptz_has_home INTEGER DEFAULT 0,
                buffer_strategy TEXT DEFAULT 'auto',
                onvif_username TEXT DEFAULT '',
                onvif_password TEXT DEFAULT '',
                onvif_profile TEXT DEFAULT '',
                detection_object_filter TEXT DEFAULT 'none',
                detection_object_filter_list TEXT DEFAULT '',
                tier_critical_multiplier REAL DEFAULT 3.0,
                tier_important_multiplier REAL DEFAULT 2.0,
                tier_ephemeral_multiplier REAL DEFAULT 0.25,
                storage_priority INTEGER DEFAULT 5,
                record_on_schedule INTEGER DEFAULT 0,
                recording_schedule TEXT DEFAULT '',
                tags TEXT DEFAULT '',
                onvif_port INTEGER DEFAULT 0,
                admin_url TEXT DEFAULT '',
                privacy_mode INTEGER DEFAULT 0,
                motion_trigger_source TEXT DEFAULT '',
                go2rtc_source_override TEXT DEFAULT '',
                sub_stream_url TEXT DEFAULT '',
                audio_voice_enhancement INTEGER DEFAULT 0,
                detection_url TEXT DEFAULT '',
                publish_url TEXT DEFAULT '',
                detection_record_on_schedule INTEGER DEFAULT 0,
                detection_recording_schedule TEXT DEFAULT ''
            )
            """),
        ("recordings", """
            CREATE TABLE IF NOT EXISTS {0} (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                stream_name TEXT NOT NULL,
                file_path TEXT NOT NULL,
                start_time INTEGER NOT NULL,
                end_time INTEGER,
                size_bytes INTEGER DEFAULT 0,
                width INTEGER DEFAULT 0,
                height INTEGER DEFAULT 0,
                fps INTEGER DEFAULT 0,
                codec TEXT DEFAULT '',
                is_complete INTEGER DEFAULT 0,
                created_at INTEGER DEFAULT 0,
                trigger_type TEXT DEFAULT 'scheduled',
                protected INTEGER DEFAULT 0,
                retention_override_days INTEGER DEFAULT NULL,
                retention_tier INTEGER DEFAULT 2,
                disk_pressure_eligible INTEGER DEFAULT 1,
                schedule_restricted INTEGER DEFAULT NULL
            )
            """),
        ("detections", """
            CREATE TABLE IF NOT EXISTS {0} (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                stream_name TEXT NOT NULL,
                timestamp INTEGER NOT NULL,
                label TEXT NOT NULL,
                confidence REAL NOT NULL,
                x REAL, y REAL, width REAL, height REAL,
                recording_id INTEGER DEFAULT NULL REFERENCES recordings(id) ON DELETE SET NULL,
                created_at INTEGER DEFAULT 0,
                track_id INTEGER DEFAULT -1,
                zone_id TEXT DEFAULT '',
                source TEXT DEFAULT '',
                event_end_time INTEGER DEFAULT NULL
            )
            """),
        ("events", """
            CREATE TABLE IF NOT EXISTS {0} (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                type INTEGER NOT NULL,
                timestamp INTEGER NOT NULL,
                stream_name TEXT DEFAULT '',
                description TEXT DEFAULT '',
                details TEXT DEFAULT ''
            )
            """),
        ("users", """
            CREATE TABLE IF NOT EXISTS {0} (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                username TEXT NOT NULL UNIQUE,
                password_hash TEXT NOT NULL,
                salt TEXT NOT NULL,
                role INTEGER NOT NULL DEFAULT 1,
                email TEXT DEFAULT '',
                created_at INTEGER NOT NULL DEFAULT 0,
                updated_at INTEGER DEFAULT 0,
                last_login INTEGER DEFAULT 0,
                is_active INTEGER DEFAULT 1,
                api_key TEXT DEFAULT NULL,
                password_change_locked INTEGER DEFAULT 0,
                totp_secret TEXT DEFAULT NULL,
                totp_enabled INTEGER DEFAULT 0,
                allowed_tags TEXT DEFAULT NULL,
                allowed_login_cidrs TEXT DEFAULT NULL
            )
            """),
        ("sessions", """
            CREATE TABLE IF NOT EXISTS {0} (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                token TEXT NOT NULL UNIQUE,
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                ip_address TEXT DEFAULT '',
                user_agent TEXT DEFAULT '',
                last_activity_at INTEGER DEFAULT 0,
                idle_expires_at INTEGER DEFAULT 0
            )
            """),
        ("trusted_devices", """
            CREATE TABLE IF NOT EXISTS {0} (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                token TEXT NOT NULL UNIQUE,
                ip_address TEXT DEFAULT '',
                user_agent TEXT DEFAULT '',
                created_at INTEGER NOT NULL DEFAULT 0,
                last_used_at INTEGER DEFAULT 0,
                expires_at INTEGER NOT NULL DEFAULT 0
            )
            """),
        ("detection_zones", """
            CREATE TABLE IF NOT EXISTS {0} (
                id TEXT PRIMARY KEY,
                stream_name TEXT NOT NULL REFERENCES streams(name) ON DELETE CASCADE,
                name TEXT NOT NULL,
                enabled INTEGER DEFAULT 1,
                color TEXT DEFAULT '#3b82f6',
                polygon TEXT NOT NULL DEFAULT '[]',
                filter_classes TEXT DEFAULT '',
                min_confidence REAL DEFAULT 0.0,
                created_at INTEGER DEFAULT 0,
                updated_at INTEGER DEFAULT 0
            )
            """),
        ("motion_settings", """
            CREATE TABLE IF NOT EXISTS {0} (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                stream_name TEXT NOT NULL UNIQUE,
                enabled INTEGER DEFAULT 0,
                sensitivity REAL DEFAULT 0.5,
                threshold REAL DEFAULT 0.01,
                cooldown_seconds INTEGER DEFAULT 5,
                min_motion_frames INTEGER DEFAULT 3,
                created_at INTEGER DEFAULT 0,
                updated_at INTEGER DEFAULT 0
            )
            """),
        ("motion_recording_config", """
            CREATE TABLE IF NOT EXISTS {0} (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                stream_name TEXT NOT NULL UNIQUE REFERENCES streams(name) ON DELETE CASCADE,
                enabled INTEGER DEFAULT 0,
                pre_buffer_seconds INTEGER DEFAULT 5,
                post_buffer_seconds INTEGER DEFAULT 5,
                max_file_duration INTEGER DEFAULT 300,
                codec TEXT DEFAULT 'h264',
                quality TEXT DEFAULT 'medium',
                retention_days INTEGER DEFAULT 7,
                max_storage_mb INTEGER DEFAULT 0,
                created_at INTEGER DEFAULT 0,
                updated_at INTEGER DEFAULT 0
            )
            """),
        ("storage_daily_stats", """
            CREATE TABLE IF NOT EXISTS {0} (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                date TEXT NOT NULL,
                stream_name TEXT NOT NULL,
                tier INTEGER NOT NULL DEFAULT 2,
                recording_count INTEGER DEFAULT 0,
                total_bytes INTEGER DEFAULT 0,
                deleted_count INTEGER DEFAULT 0,
                deleted_bytes INTEGER DEFAULT 0,
                UNIQUE (date, stream_name, tier)
            )
            """),
        ("system_settings", """
            CREATE TABLE IF NOT EXISTS {0} (
                key TEXT PRIMARY KEY,
                value TEXT,
                updated_at INTEGER DEFAULT 0
            )
            """),
        ("recording_tags", """
            CREATE TABLE IF NOT EXISTS {0} (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                recording_id INTEGER NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
                tag TEXT NOT NULL,
                created_at INTEGER DEFAULT 0,
                UNIQUE (recording_id, tag)
            )
            """),
    ];
}
