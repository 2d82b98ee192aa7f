namespace LightNvr.Data;

/// <summary>
/// The <c>trusted_devices</c> table: browsers that passed TOTP with "remember this device". Like sessions, the
/// token column holds SHA-256 of the cookie value. Times are unix seconds.
/// </summary>
public sealed class TrustedDeviceStore(Database database)
{
    /// <summary>Devices listed per user (as sessions).</summary>
    public const int MaxListedDevices = 32;

    public async Task<long> CreateAsync(long userId, string tokenHash, string ipAddress, string userAgent, long now, long expiresAt,
        CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO trusted_devices (user_id, token, ip_address, user_agent, created_at, last_used_at, expires_at) " +
            "VALUES (@u, @t, @ip, @ua, @now, @now, @exp) RETURNING id";
        command.Parameters.AddWithValue("@u", userId);
        command.Parameters.AddWithValue("@t", tokenHash);
        command.Parameters.AddWithValue("@ip", ipAddress);
        command.Parameters.AddWithValue("@ua", userAgent);
        command.Parameters.AddWithValue("@now", now);
        command.Parameters.AddWithValue("@exp", expiresAt);
        return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    /// <summary>True (and marks it used) when the token is a live device of this user.</summary>
    public async Task<bool> UseAsync(long userId, string tokenHash, long now, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE trusted_devices SET last_used_at = @now WHERE user_id = @u AND token = @t AND expires_at > @now";
        command.Parameters.AddWithValue("@u", userId);
        command.Parameters.AddWithValue("@t", tokenHash);
        command.Parameters.AddWithValue("@now", now);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) > 0;
    }

    public async Task<IReadOnlyList<TrustedDeviceRecord>> ListForUserAsync(long userId, long now, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM trusted_devices WHERE user_id = @u AND expires_at > @now " +
            $"ORDER BY last_used_at DESC LIMIT {MaxListedDevices}";
        command.Parameters.AddWithValue("@u", userId);
        command.Parameters.AddWithValue("@now", now);
        var result = new List<TrustedDeviceRecord>();
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var r = new RowReader(reader);
            result.Add(new TrustedDeviceRecord(r.Long("id"), r.Text("token"), r.Long("created_at"), r.Long("last_used_at"), r.Long("expires_at"),
                r.Text("ip_address"), r.Text("user_agent")));
        }
        return result;
    }

    public async Task<bool> DeleteOwnAsync(long id, long userId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM trusted_devices WHERE id = @id AND user_id = @u";
        command.Parameters.AddWithValue("@id", id);
        command.Parameters.AddWithValue("@u", userId);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) > 0;
    }

    public async Task<int> DeleteForUserAsync(long userId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM trusted_devices WHERE user_id = @u";
        command.Parameters.AddWithValue("@u", userId);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
