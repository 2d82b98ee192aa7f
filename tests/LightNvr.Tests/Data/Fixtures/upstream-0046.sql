-- A database as upstream LightNVR leaves it after its migration 0046, written from the table of columns in
-- shared/reference/lightnvr-upstream.md §4 (names, types and defaults; not upstream's SQL text), with sample rows.
-- Upstream's migration ledger is schema_migrations (version TEXT PRIMARY KEY, applied_at INTEGER): no name column.
-- {REC} is replaced by the test with the folder that holds the sample recordings.
CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at INTEGER NOT NULL DEFAULT (strftime('%s', 'now')));
WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < 46)
INSERT INTO schema_migrations (version) SELECT printf('%04d', v) FROM n;

CREATE TABLE streams (
    id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, url TEXT NOT NULL,
    enabled INTEGER DEFAULT 1, streaming_enabled INTEGER DEFAULT 1, width INTEGER DEFAULT 1280, height INTEGER DEFAULT 720,
    fps INTEGER DEFAULT 30, codec TEXT DEFAULT 'h264', priority INTEGER DEFAULT 5, record INTEGER DEFAULT 1,
    segment_duration INTEGER DEFAULT 900,
    detection_based_recording INTEGER DEFAULT 0, detection_model TEXT DEFAULT '', detection_threshold REAL DEFAULT 0.5,
    detection_interval INTEGER DEFAULT 10, pre_detection_buffer INTEGER DEFAULT 0, post_detection_buffer INTEGER DEFAULT 3,
    protocol INTEGER DEFAULT 0, is_onvif INTEGER DEFAULT 0, record_audio INTEGER DEFAULT 1, detection_api_url TEXT DEFAULT '',
    backchannel_enabled INTEGER DEFAULT 0, retention_days INTEGER DEFAULT 30, detection_retention_days INTEGER DEFAULT 90,
    max_storage_mb INTEGER DEFAULT 0, ptz_enabled INTEGER DEFAULT 0, ptz_max_x INTEGER DEFAULT 0, ptz_max_y INTEGER DEFAULT 0,
    ptz_max_z INTEGER DEFAULT 0, ptz_has_home INTEGER DEFAULT 0, buffer_strategy TEXT DEFAULT 'auto',
    onvif_username TEXT DEFAULT '', onvif_password TEXT DEFAULT '', onvif_profile TEXT DEFAULT '',
    detection_object_filter TEXT DEFAULT 'none', detection_object_filter_list TEXT DEFAULT '',
    tier_critical_multiplier REAL DEFAULT 3.0, tier_important_multiplier REAL DEFAULT 2.0,
    tier_ephemeral_multiplier REAL DEFAULT 0.25, storage_priority INTEGER DEFAULT 5,
    record_on_schedule INTEGER DEFAULT 0, recording_schedule TEXT DEFAULT '', tags TEXT DEFAULT '',
    onvif_port INTEGER DEFAULT 0, admin_url TEXT DEFAULT '', privacy_mode INTEGER DEFAULT 0,
    motion_trigger_source TEXT DEFAULT '', go2rtc_source_override TEXT DEFAULT '', sub_stream_url TEXT DEFAULT '',
    audio_voice_enhancement INTEGER DEFAULT 0, detection_url TEXT DEFAULT '', publish_url TEXT DEFAULT '',
    detection_record_on_schedule INTEGER DEFAULT 0, detection_recording_schedule TEXT DEFAULT '');

CREATE TABLE recordings (
    id INTEGER PRIMARY KEY AUTOINCREMENT, stream_name TEXT NOT NULL, file_path TEXT NOT NULL, start_time INTEGER NOT NULL,
    end_time INTEGER, size_bytes INTEGER DEFAULT 0, width INTEGER, height INTEGER, fps INTEGER, codec TEXT,
    is_complete INTEGER DEFAULT 0, created_at INTEGER DEFAULT (strftime('%s', 'now')), trigger_type TEXT DEFAULT 'scheduled',
    protected INTEGER DEFAULT 0, retention_override_days INTEGER DEFAULT NULL, retention_tier INTEGER DEFAULT 2,
    disk_pressure_eligible INTEGER DEFAULT 1, schedule_restricted INTEGER DEFAULT NULL);
CREATE INDEX idx_recordings_stream_name ON recordings (stream_name);
CREATE INDEX idx_recordings_start_time ON recordings (start_time);

CREATE TABLE detections (
    id INTEGER PRIMARY KEY AUTOINCREMENT, stream_name TEXT NOT NULL, timestamp INTEGER NOT NULL, label TEXT NOT NULL,
    confidence REAL NOT NULL, x REAL, y REAL, width REAL, height REAL, recording_id INTEGER REFERENCES recordings(id),
    created_at INTEGER DEFAULT (strftime('%s', 'now')), track_id INTEGER DEFAULT -1, zone_id TEXT DEFAULT '',
    source TEXT DEFAULT '', event_end_time INTEGER);

CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, type INTEGER NOT NULL, timestamp INTEGER NOT NULL, stream_name TEXT,
    description TEXT, details TEXT);
CREATE INDEX idx_events_timestamp ON events (timestamp);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL, salt TEXT NOT NULL,
    role INTEGER NOT NULL DEFAULT 1, email TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
    last_login INTEGER, is_active INTEGER DEFAULT 1, api_key TEXT, password_change_locked INTEGER DEFAULT 0,
    totp_secret TEXT, totp_enabled INTEGER DEFAULT 0, allowed_tags TEXT DEFAULT NULL, allowed_login_cidrs TEXT DEFAULT NULL);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, ip_address TEXT, user_agent TEXT,
    last_activity_at INTEGER, idle_expires_at INTEGER);

CREATE TABLE detection_zones (
    id TEXT PRIMARY KEY, stream_name TEXT NOT NULL REFERENCES streams(name) ON DELETE CASCADE, name TEXT NOT NULL,
    enabled INTEGER DEFAULT 1, color TEXT DEFAULT '#3b82f6', polygon TEXT NOT NULL, filter_classes TEXT DEFAULT '',
    min_confidence REAL DEFAULT 0.0, created_at INTEGER DEFAULT (strftime('%s', 'now')),
    updated_at INTEGER DEFAULT (strftime('%s', 'now')));

CREATE TABLE motion_settings (
    id INTEGER PRIMARY KEY AUTOINCREMENT, stream_name TEXT NOT NULL UNIQUE, enabled INTEGER DEFAULT 0,
    sensitivity REAL DEFAULT 0.5, threshold REAL DEFAULT 0.01, cooldown_seconds INTEGER DEFAULT 5,
    min_motion_frames INTEGER DEFAULT 3);

CREATE TABLE system_settings (key TEXT PRIMARY KEY, value TEXT, updated_at INTEGER);

CREATE TABLE recording_tags (
    id INTEGER PRIMARY KEY AUTOINCREMENT, recording_id INTEGER NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
    tag TEXT NOT NULL, created_at INTEGER DEFAULT (strftime('%s', 'now')), UNIQUE (recording_id, tag));

-- Sample rows.
INSERT INTO streams (name, url, record, detection_based_recording, detection_model, pre_detection_buffer,
                     post_detection_buffer, tags, sub_stream_url, retention_days, record_on_schedule, recording_schedule)
VALUES ('front_door', 'rtsp://cam:secret@192.0.2.10:554/main', 1, 1, 'motion', 5, 10, 'outdoor,entry',
        'rtsp://cam:secret@192.0.2.10:554/sub', 14, 0, ''),
       ('garage', 'rtsp://192.0.2.11/stream1', 0, 0, '', 0, 3, '', '', 30, 0, '');
-- Passwords: admin "upstream-pass" (salt bytes 0..15), kitchen "viewer-pass" (salt bytes 16..31), as db_auth.c stores
-- them (hashes computed with Python's hashlib.pbkdf2_hmac, 10,000 iterations).
-- API keys: upstream keeps them in clear in users.api_key (0006); admin has one, kitchen none.
INSERT INTO users (username, password_hash, salt, role, email, created_at, updated_at, is_active, allowed_tags, api_key)
VALUES ('admin', '262ce89df5a957eabadc92dbf281b25c048779889c70d8f0526bffe91690c8b1', '000102030405060708090a0b0c0d0e0f',
        0, '', 1700000000, 1700000000, 1, NULL, 'upstream-admin-api-key-0123456789abcdef'),
       ('kitchen', '09b4435ec1cfb548f3775d91f95d02088e2579b2babb8493879c2c608f2ec36f', '101112131415161718191a1b1c1d1e1f', 2, 'k@example.com', 1700000000, 1700000000, 1,
        'outdoor', NULL);
INSERT INTO sessions (user_id, token, created_at, expires_at) VALUES (1, 'raw-upstream-token', 1700000000, 1900000000);
INSERT INTO detection_zones (id, stream_name, name, polygon, filter_classes, min_confidence)
VALUES ('zone_front_1', 'front_door', 'Path', '[{"x":0.1,"y":0.5},{"x":0.6,"y":0.5},{"x":0.6,"y":0.95},{"x":0.1,"y":0.95}]',
        'person', 0.6);
INSERT INTO motion_settings (stream_name, enabled, sensitivity, cooldown_seconds) VALUES ('front_door', 1, 0.7, 8);
INSERT INTO system_settings (key, value, updated_at) VALUES ('setup_complete', '1', 1700000000),
       ('setup_completed_at', '1700000000', 1700000000),
       ('go2rtc_config_override', 'streams:' || char(10) || '  yard: rtsp://yard:override-secret@192.0.2.30/live', 1700000100);
INSERT INTO recordings (stream_name, file_path, start_time, end_time, size_bytes, width, height, fps, codec, is_complete,
                        trigger_type, protected)
VALUES ('front_door', '{REC}/front_door/2026/11/30/front_door_20261130_100000.mp4', 1796032800, 1796032804, 0, 320, 240,
        25, 'h264', 1, 'scheduled', 0),
       ('front_door', '{REC}/front_door/2026/11/30/front_door_20261130_101500.mp4', 1796033700, 1796033704, 0, 320, 240,
        25, 'h264', 1, 'motion', 1),
       ('garage', '{REC}/garage/2026/11/30/garage_20261130_100000.mp4', 1796032800, 1796032804, 0, 320, 240, 25, 'h264', 1,
        'scheduled', 0),
       ('garage', '{REC}/garage/2026/11/30/garage_gone.mp4', 1796030000, 1796030900, 1000, 320, 240, 25, 'h264', 1,
        'scheduled', 0);
INSERT INTO recording_tags (recording_id, tag) VALUES (2, 'delivery'), (2, 'checked');
-- Detections: one inside an imported recording (2), one inside garage_gone.mp4 (4, whose file is missing: its link is
-- dropped), one external motion interval (0046: source and event_end_time, no recording).
INSERT INTO detections (stream_name, timestamp, label, confidence, x, y, width, height, recording_id, track_id, zone_id,
                        source, event_end_time)
VALUES ('front_door', 1796033701, 'person', 0.91, 0.2, 0.5, 0.2, 0.4, 2, 7, 'zone_front_1', '', NULL),
       ('garage', 1796030100, 'car', 0.77, 0.1, 0.1, 0.5, 0.5, 4, -1, '', '', NULL),
       ('front_door', 1796033600, 'motion', 1.0, NULL, NULL, NULL, NULL, NULL, -1, '', 'onvif', 1796033630);
-- Upstream's event log (type in the reference's order: 0 recording start, 2 stream connected).
INSERT INTO events (type, timestamp, stream_name, description, details)
VALUES (2, 1796032790, 'front_door', 'Stream connected', ''),
       (0, 1796032800, 'front_door', 'Recording started', 'front_door_20261130_100000.mp4');
