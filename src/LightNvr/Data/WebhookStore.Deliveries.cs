using System.Data;
using System.Data.Common;

namespace LightNvr.Data;

/// <summary>The delivery queue and log of <see cref="WebhookStore"/>.</summary>
public sealed partial class WebhookStore
{
    /// <summary>
    /// Pending deliveries per hook at most. A hook that is down for the whole retry schedule (~2.4 h) while a busy site
    /// makes a few events a minute stays below it; beyond it the oldest pending one is dropped (counted in the log), so a
    /// dead receiver costs bounded disk, never unbounded.
    /// </summary>
    public const int MaxPendingPerHook = 1000;

    /// <summary>Finished deliveries kept per hook as its log (the newest): enough to see a pattern, small enough to read in one page.</summary>
    public const int MaxLogPerHook = 100;

    /// <summary>
    /// Queues deliveries (in one transaction), then drops the oldest pending of any hook over
    /// <see cref="MaxPendingPerHook"/>. Returns how many were dropped. Rows for a hook deleted meanwhile are skipped.
    /// </summary>
    public async Task<int> EnqueueAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken ct = default)
    {
        if (deliveries.Count == 0)
        {
            return 0;
        }
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO webhook_deliveries (webhook_id, kind, event_id, stream_name, body, state, attempts, " +
                "next_attempt_ms, created_ms) SELECT @hook, @kind, @event, @stream, @body, 'pending', 0, @now, @now " +
                "WHERE EXISTS (SELECT 1 FROM webhooks WHERE id = @hook)";
            var hook = insert.AddTyped("@hook", DbType.Int64);
            var kind = insert.AddTyped("@kind", DbType.String);
            var eventId = insert.AddTyped("@event", DbType.Int64);
            var stream = insert.AddTyped("@stream", DbType.String);
            var body = insert.AddTyped("@body", DbType.String);
            insert.Parameters.AddWithValue("@now", nowMs);
            foreach (var d in deliveries)
            {
                hook.Value = d.WebhookId;
                kind.Value = d.Kind;
                eventId.Value = (object?)d.EventId ?? DBNull.Value;
                stream.Value = (object?)d.StreamName ?? DBNull.Value;
                body.Value = d.Body;
                await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
        var dropped = 0;
        using (var drop = connection.CreateCommand())
        {
            drop.Transaction = transaction;
            drop.CommandText = "UPDATE webhook_deliveries SET state = 'dropped', last_error = 'queue full: dropped unsent' " +
                "WHERE webhook_id = @hook AND state = 'pending' AND id NOT IN (SELECT id FROM webhook_deliveries " +
                "WHERE webhook_id = @hook AND state = 'pending' ORDER BY id DESC LIMIT @max)";
            var hook = drop.AddTyped("@hook", DbType.Int64);
            drop.Parameters.AddWithValue("@max", MaxPendingPerHook);
            foreach (var id in deliveries.Select(d => d.WebhookId).Distinct())
            {
                hook.Value = id;
                dropped += await drop.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return dropped;
    }

    /// <summary>
    /// The head of every enabled hook's queue: its oldest pending delivery (each hook is first in, first out, so an
    /// <c>end</c> never overtakes its <c>start</c>). At most one row per hook.
    /// </summary>
    public async Task<List<WebhookDelivery>> PendingHeadsAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT d.* FROM webhook_deliveries d JOIN (SELECT webhook_id, MIN(id) AS id FROM webhook_deliveries " +
            "WHERE state = 'pending' GROUP BY webhook_id) h ON d.id = h.id JOIN webhooks w ON w.id = d.webhook_id AND w.enabled = 1 " +
            "ORDER BY d.next_attempt_ms, d.id";
        return await ReadDeliveriesAsync(command, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes an attempt's outcome onto the delivery and onto its hook's last status, then trims the hook's log to
    /// <see cref="MaxLogPerHook"/> finished rows. A delivery no longer pending (dropped while its request was in
    /// flight: the hook was disabled) keeps its state; only the hook's last status changes.
    /// </summary>
    public async Task RecordAttemptAsync(WebhookDelivery delivery, WebhookAttempt attempt, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            "UPDATE webhook_deliveries SET state = @state, attempts = attempts + 1, next_attempt_ms = @next, last_attempt_ms = @at, " +
            "last_status = @status, last_error = @error, duration_ms = @duration WHERE id = @id AND state = 'pending'; " +
            "UPDATE webhooks SET last_status = @status, last_error = @error, last_attempt_at = @at / 1000, " +
            "last_success_at = CASE WHEN @state = 'delivered' THEN @at / 1000 ELSE last_success_at END WHERE id = @hook; " +
            TrimLogSql;
        command.Parameters.AddWithValue("@state", attempt.State);
        command.Parameters.AddWithValue("@next", attempt.NextAttemptMs);
        command.Parameters.AddWithValue("@at", attempt.AttemptMs);
        command.Parameters.AddWithValue("@status", attempt.Status);
        command.Parameters.AddWithValue("@error", (object?)attempt.Error ?? DBNull.Value);
        command.Parameters.AddWithValue("@duration", attempt.DurationMs);
        command.Parameters.AddWithValue("@id", delivery.Id);
        command.Parameters.AddWithValue("@hook", delivery.WebhookId);
        command.Parameters.AddWithValue("@max", MaxLogPerHook);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>A delivery made and finished at once (the "send test" button): inserted with its outcome. Returns its id.</summary>
    public async Task<long> InsertFinishedAsync(WebhookDelivery delivery, WebhookAttempt attempt, CancellationToken ct = default)
    {
        long id;
        await using (var connection = await database.OpenAsync(ct).ConfigureAwait(false))
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO webhook_deliveries (webhook_id, kind, event_id, stream_name, body, state, attempts, " +
                "next_attempt_ms, created_ms) VALUES (@hook, @kind, NULL, NULL, @body, 'pending', 0, @at, @at) RETURNING id";
            command.Parameters.AddWithValue("@hook", delivery.WebhookId);
            command.Parameters.AddWithValue("@kind", delivery.Kind);
            command.Parameters.AddWithValue("@body", delivery.Body);
            command.Parameters.AddWithValue("@at", attempt.AttemptMs);
            id = (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }
        await RecordAttemptAsync(delivery with { Id = id }, attempt, ct).ConfigureAwait(false);
        return id;
    }

    /// <summary>Marks every pending delivery of a hook dropped (the hook was disabled) and trims its log.</summary>
    public async Task DropPendingAsync(long webhookId, string reason, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE webhook_deliveries SET state = 'dropped', last_error = @reason " +
            "WHERE webhook_id = @hook AND state = 'pending'; " + TrimLogSql;
        command.Parameters.AddWithValue("@hook", webhookId);
        command.Parameters.AddWithValue("@reason", reason);
        command.Parameters.AddWithValue("@max", MaxLogPerHook);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>A hook's deliveries, newest first: the pending ones and its log.</summary>
    public async Task<List<WebhookDelivery>> DeliveriesAsync(long webhookId, int limit, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM webhook_deliveries WHERE webhook_id = @hook ORDER BY id DESC LIMIT @limit";
        command.Parameters.AddWithValue("@hook", webhookId);
        command.Parameters.AddWithValue("@limit", limit);
        return await ReadDeliveriesAsync(command, ct).ConfigureAwait(false);
    }

    /// <summary>Pending deliveries of a hook.</summary>
    public async Task<long> PendingCountAsync(long webhookId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = @hook AND state = 'pending'";
        command.Parameters.AddWithValue("@hook", webhookId);
        return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    /// <summary>Keeps the newest <c>@max</c> finished rows of hook <c>@hook</c>.</summary>
    private const string TrimLogSql =
        "DELETE FROM webhook_deliveries WHERE webhook_id = @hook AND state <> 'pending' AND id NOT IN (SELECT id FROM " +
        "webhook_deliveries WHERE webhook_id = @hook AND state <> 'pending' ORDER BY id DESC LIMIT @max);";

    private static async Task<List<WebhookDelivery>> ReadDeliveriesAsync(DbCommand command, CancellationToken ct)
    {
        var items = new List<WebhookDelivery>();
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            items.Add(WebhookDelivery.Read(new RowReader(reader)));
        }
        return items;
    }
}
