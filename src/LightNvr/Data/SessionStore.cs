namespace LightNvr.Data;

/// <summary>The <c>sessions</c> table. Times are unix seconds; callers pass "now" from their TimeProvider.</summary>
public sealed class SessionStore(Database database)
{
    /// <summary>Sessions listed per user: upstream's cap (lightnvr-api.md §1 "max 32").</summary>
    public const int MaxListedSessions = 32;

    public async Task<long> CreateAsync(long userId, string tokenHash, long now, long idleExpiresAt, long expiresAt,
        string ipAddress, string userAgent, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO sessions (user_id, token, created_at, expires_at, ip_address, user_agent, last_activity_at, " +
            "idle_expires_at) VALUES (@u, @t, @now, @exp, @ip, @ua, @now, @idle) RETURNING id";
        command.Parameters.AddWithValue("@u", userId);
        command.Parameters.AddWithValue("@t", tokenHash);
        command.Parameters.AddWithValue("@now", now);
        command.Parameters.AddWithValue("@exp", expiresAt);
        command.Parameters.AddWithValue("@ip", ipAddress);
        command.Parameters.AddWithValue("@ua", userAgent);
        command.Parameters.AddWithValue("@idle", idleExpiresAt);
        return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    /// <summary>The session with this token hash if neither its idle nor its absolute expiry has passed.</summary>
    public async Task<SessionRecord?> FindValidAsync(string tokenHash, long now, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM sessions WHERE token = @t AND expires_at > @now AND idle_expires_at > @now";
        command.Parameters.AddWithValue("@t", tokenHash);
        command.Parameters.AddWithValue("@now", now);
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? SessionRecord.Read(new RowReader(reader)) : null;
    }

    /// <summary>Marks use: last activity now, idle expiry pushed out (never past the absolute expiry).</summary>
    public async Task TouchAsync(long id, long now, long idleExpiresAt, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE sessions SET last_activity_at = @now, idle_expires_at = {SqlDialect.Of(command).Least("@idle", "expires_at")} WHERE id = @id";
        command.Parameters.AddWithValue("@now", now);
        command.Parameters.AddWithValue("@idle", idleExpiresAt);
        command.Parameters.AddWithValue("@id", id);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SessionRecord>> ListForUserAsync(long userId, long now, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM sessions WHERE user_id = @u AND expires_at > @now AND idle_expires_at > @now " +
            $"ORDER BY last_activity_at DESC LIMIT {MaxListedSessions}";
        command.Parameters.AddWithValue("@u", userId);
        command.Parameters.AddWithValue("@now", now);
        var result = new List<SessionRecord>();
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            result.Add(SessionRecord.Read(new RowReader(reader)));
        }
        return result;
    }

    public Task<int> DeleteByTokenHashAsync(string tokenHash, CancellationToken ct = default) =>
        ExecuteAsync("DELETE FROM sessions WHERE token = @v", tokenHash, null, ct);

    /// <summary>Deletes one of the user's own sessions; false when it is not theirs or does not exist.</summary>
    public async Task<bool> DeleteOwnAsync(long id, long userId, CancellationToken ct = default) =>
        await ExecuteAsync("DELETE FROM sessions WHERE id = @v AND user_id = @w", id, userId, ct).ConfigureAwait(false) > 0;

    public Task<int> DeleteForUserAsync(long userId, CancellationToken ct = default) =>
        ExecuteAsync("DELETE FROM sessions WHERE user_id = @v", userId, null, ct);

    public Task<int> DeleteExpiredAsync(long now, CancellationToken ct = default) =>
        ExecuteAsync("DELETE FROM sessions WHERE expires_at <= @v OR idle_expires_at <= @v", now, null, ct);

    private async Task<int> ExecuteAsync(string sql, object v, object? w, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@v", v);
        if (w is not null)
        {
            command.Parameters.AddWithValue("@w", w);
        }
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
