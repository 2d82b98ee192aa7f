namespace LightNvr.Data;

public sealed partial class RecordingStore
{
    /// <summary>Sets or clears <c>protected</c>; false when the id does not exist.</summary>
    public async Task<bool> SetProtectedAsync(long id, bool value, CancellationToken ct = default) =>
        await ExecuteAsync("UPDATE recordings SET protected = @v WHERE id = @id AND deleting = 0", id, value ? 1 : 0, ct)
            .ConfigureAwait(false) > 0;

    /// <summary>Sets a per-recording retention (days, ≥ 0) or removes it (null); false when the id does not exist.</summary>
    public async Task<bool> SetRetentionOverrideAsync(long id, int? days, CancellationToken ct = default) =>
        await ExecuteAsync("UPDATE recordings SET retention_override_days = @v WHERE id = @id AND deleting = 0", id,
            days is { } d ? d : DBNull.Value, ct).ConfigureAwait(false) > 0;

    /// <summary>
    /// Step 1 of a crash-safe deletion: marks the row (hidden from lists from now on). Refuses an open segment
    /// (is_complete 0 or no end time): false then, or when the id does not exist.
    /// </summary>
    public async Task<bool> MarkDeletingAsync(long id, CancellationToken ct = default) =>
        await ExecuteAsync("UPDATE recordings SET deleting = 1 WHERE id = @id AND is_complete = 1 AND end_time IS NOT NULL " +
            "AND deleting = @v", id, 0, ct).ConfigureAwait(false) > 0;

    /// <summary>
    /// Step 1 of discarding a row whose file holds nothing to play (open rows too): marks it, so a crash before the row
    /// is gone leaves it for <c>RecordingFiles.FinishMarkedAsync</c>. False when the id does not exist.
    /// </summary>
    public async Task<bool> MarkDiscardingAsync(long id, CancellationToken ct = default) =>
        await ExecuteAsync("UPDATE recordings SET deleting = @v WHERE id = @id", id, 1, ct).ConfigureAwait(false) > 0;

    /// <summary>Rows marked for deletion whose file and row removal did not finish (a crash between the steps).</summary>
    public async Task<IReadOnlyList<RecordingRecord>> ListMarkedAsync(int max, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM recordings WHERE deleting = 1 ORDER BY id LIMIT @max";
        command.Parameters.AddWithValue("@max", max);
        return await ReadAllAsync(command, ct).ConfigureAwait(false);
    }

    /// <summary>Counts protected listed recordings, optionally of one stream (upstream's GET /api/recordings/protected).</summary>
    public async Task<long> CountProtectedAsync(string? stream, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM recordings WHERE protected = 1 AND deleting = 0" +
            (stream is null ? "" : " AND stream_name = @s");
        if (stream is not null)
        {
            command.Parameters.AddWithValue("@s", stream);
        }
        return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    private async Task<int> ExecuteAsync(string sql, long id, object value, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@id", id);
        command.Parameters.AddWithValue("@v", value);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
