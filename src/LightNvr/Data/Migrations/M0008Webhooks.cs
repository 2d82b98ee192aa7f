using Microsoft.Data.Sqlite;

namespace LightNvr.Data.Migrations;

/// <summary>
/// Webhooks (docs/webhooks.md): <c>webhooks</c> holds each hook (target URL, the event kinds and streams it wants, its
/// signing secret, and the outcome of its last attempt); <c>webhook_deliveries</c> is both the queue and the delivery
/// log. A row is <c>pending</c> until it is delivered, gives up (<c>failed</c>) or is pushed out of a full queue
/// (<c>dropped</c>); pending rows survive a restart, so retries continue after one. Finished rows are kept as the log,
/// a bounded number per hook. Hook times are unix seconds; delivery times are unix milliseconds (<c>_ms</c>), since
/// the first retries are seconds apart.
/// </summary>
public sealed class M0008Webhooks : Migration
{
    public override int Version => 8;
    public override string Name => "webhooks";

    /// <summary>The statements; PostgresMigrations runs the same text, types translated.</summary>
    public const string Sql = """
            CREATE TABLE IF NOT EXISTS webhooks (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL DEFAULT '',
                url TEXT NOT NULL,
                event_kinds TEXT NOT NULL DEFAULT 'start,end',
                streams TEXT NOT NULL DEFAULT '',
                secret TEXT NOT NULL,
                enabled INTEGER NOT NULL DEFAULT 1,
                created_at INTEGER NOT NULL DEFAULT 0,
                updated_at INTEGER NOT NULL DEFAULT 0,
                last_status INTEGER DEFAULT NULL,
                last_error TEXT DEFAULT NULL,
                last_attempt_at INTEGER DEFAULT NULL,
                last_success_at INTEGER DEFAULT NULL
            );
            CREATE TABLE IF NOT EXISTS webhook_deliveries (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                webhook_id INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                event_id INTEGER DEFAULT NULL,
                stream_name TEXT DEFAULT NULL,
                body TEXT NOT NULL,
                state TEXT NOT NULL DEFAULT 'pending',
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_ms INTEGER NOT NULL,
                created_ms INTEGER NOT NULL,
                last_attempt_ms INTEGER DEFAULT NULL,
                last_status INTEGER DEFAULT NULL,
                last_error TEXT DEFAULT NULL,
                duration_ms INTEGER DEFAULT NULL
            );
            -- The sender's question: the oldest pending delivery of each hook (each hook's queue is first in, first out).
            CREATE INDEX IF NOT EXISTS idx_webhook_deliveries_pending ON webhook_deliveries (webhook_id, id) WHERE state = 'pending';
            -- The log's question (newest first per hook) and the trimming of it; also the foreign key's child index.
            CREATE INDEX IF NOT EXISTS idx_webhook_deliveries_hook ON webhook_deliveries (webhook_id, id);
            """;

    public override Task ApplyAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, Sql, cancellationToken);
}
