using System.Data.Common;

namespace LightNvr.Data;

/// <summary>
/// The <c>webhooks</c> and <c>webhook_deliveries</c> tables (M0008, docs/webhooks.md): the hooks themselves here, the
/// delivery queue and log in <c>WebhookStore.Deliveries.cs</c>.
/// </summary>
public sealed partial class WebhookStore(Database database, TimeProvider time)
{
    public async Task<List<WebhookRecord>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM webhooks ORDER BY id";
        return await ReadHooksAsync(command, ct).ConfigureAwait(false);
    }

    public async Task<WebhookRecord?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM webhooks WHERE id = @id";
        command.Parameters.AddWithValue("@id", id);
        return (await ReadHooksAsync(command, ct).ConfigureAwait(false)).FirstOrDefault();
    }

    public async Task<long> CountAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM webhooks";
        return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    /// <summary>Adds a hook and returns its id (the <c>Last…</c> fields start empty).</summary>
    public async Task<long> InsertAsync(WebhookRecord hook, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO webhooks (name, url, event_kinds, streams, secret, enabled, created_at, updated_at) " +
            "VALUES (@name, @url, @kinds, @streams, @secret, @enabled, @now, @now) RETURNING id";
        Bind(command, hook);
        return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    /// <summary>Writes a hook's settings (not its last status). False when it does not exist.</summary>
    public async Task<bool> UpdateAsync(WebhookRecord hook, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE webhooks SET name = @name, url = @url, event_kinds = @kinds, streams = @streams, " +
            "secret = @secret, enabled = @enabled, updated_at = @now WHERE id = @id";
        Bind(command, hook);
        command.Parameters.AddWithValue("@id", hook.Id);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) > 0;
    }

    /// <summary>Removes a hook with its queue and log (the foreign key cascades). False when it does not exist.</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM webhooks WHERE id = @id";
        command.Parameters.AddWithValue("@id", id);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) > 0;
    }

    private void Bind(DbCommand command, WebhookRecord hook)
    {
        command.Parameters.AddWithValue("@name", hook.Name);
        command.Parameters.AddWithValue("@url", hook.Url);
        command.Parameters.AddWithValue("@kinds", WebhookRecord.Join(hook.EventKinds));
        command.Parameters.AddWithValue("@streams", WebhookRecord.Join(hook.Streams));
        command.Parameters.AddWithValue("@secret", hook.Secret);
        command.Parameters.AddWithValue("@enabled", hook.Enabled ? 1 : 0);
        command.Parameters.AddWithValue("@now", time.GetUtcNow().ToUnixTimeSeconds());
    }

    private static async Task<List<WebhookRecord>> ReadHooksAsync(DbCommand command, CancellationToken ct)
    {
        var hooks = new List<WebhookRecord>();
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            hooks.Add(WebhookRecord.Read(new RowReader(reader)));
        }
        return hooks;
    }
}
