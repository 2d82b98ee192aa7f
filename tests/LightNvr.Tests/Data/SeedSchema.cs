namespace LightNvr.Tests.Data;

/// <summary>The seed-era C schema (seeds/ARCHITECTURE.md "Database Schema") with a few rows, no schema_migrations.</summary>
internal static class SeedSchema
{
    public const string Sql = """
        CREATE TABLE streams (
            id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, url TEXT NOT NULL,
            enabled INTEGER DEFAULT 1, streaming_enabled INTEGER DEFAULT 1, width INTEGER DEFAULT 1920,
            height INTEGER DEFAULT 1080, fps INTEGER DEFAULT 30, codec TEXT DEFAULT 'h264', priority INTEGER DEFAULT 5,
            record INTEGER DEFAULT 0, segment_duration INTEGER DEFAULT 900, detection_based_recording INTEGER DEFAULT 0,
            detection_model TEXT DEFAULT '', detection_threshold REAL DEFAULT 0.5, detection_interval INTEGER DEFAULT 1000,
            pre_detection_buffer INTEGER DEFAULT 0, post_detection_buffer INTEGER DEFAULT 3, protocol TEXT DEFAULT 'tcp',
            onvif_enabled INTEGER DEFAULT 0, onvif_port INTEGER DEFAULT 80, onvif_username TEXT DEFAULT '',
            onvif_password TEXT DEFAULT '', ptz_enabled INTEGER DEFAULT 0, motion_detection_enabled INTEGER DEFAULT 0,
            retention_days INTEGER DEFAULT 7);
        CREATE TABLE recordings (
            id INTEGER PRIMARY KEY AUTOINCREMENT, stream_name TEXT NOT NULL, file_path TEXT NOT NULL,
            start_time INTEGER NOT NULL, end_time INTEGER, size INTEGER DEFAULT 0,
            trigger_type TEXT DEFAULT 'scheduled', protected INTEGER DEFAULT 0, is_complete INTEGER DEFAULT 0);
        CREATE TABLE detections (
            id INTEGER PRIMARY KEY AUTOINCREMENT, stream_name TEXT NOT NULL, timestamp INTEGER NOT NULL,
            label TEXT NOT NULL, confidence REAL NOT NULL, x REAL, y REAL, width REAL, height REAL);
        CREATE TABLE detection_zones (
            id INTEGER PRIMARY KEY AUTOINCREMENT, stream_name TEXT NOT NULL, zone_name TEXT NOT NULL,
            points TEXT NOT NULL, enabled INTEGER DEFAULT 1);
        CREATE TABLE users (
            id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL,
            salt TEXT NOT NULL, role TEXT NOT NULL, created_at INTEGER NOT NULL, last_login INTEGER);
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL, token TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, FOREIGN KEY (user_id) REFERENCES users(id));

        INSERT INTO streams (name, url, protocol, onvif_enabled) VALUES ('front', 'rtsp://10.0.0.2/live', 'udp', 1);
        INSERT INTO recordings (stream_name, file_path, start_time, end_time, size, trigger_type, is_complete)
            VALUES ('front', '/rec/front/1.mp4', 1700000000, 1700000900, 123456, 'detection', 1);
        INSERT INTO detections (stream_name, timestamp, label, confidence, x, y, width, height)
            VALUES ('front', 1700000100, 'person', 0.9, 0.1, 0.1, 0.2, 0.3);
        INSERT INTO detection_zones (stream_name, zone_name, points) VALUES ('front', 'Driveway', '[{"x":0.1,"y":0.2}]');
        INSERT INTO users (username, password_hash, salt, role, created_at) VALUES ('boss', 'x', 'y', 'admin', 1700000000);
        INSERT INTO users (username, password_hash, salt, role, created_at) VALUES ('guest', 'x', 'y', 'viewer', 1700000000);
        INSERT INTO sessions (user_id, token, created_at, expires_at) VALUES (1, 'rawtoken', 1700000000, 1800000000);
        """;
}
