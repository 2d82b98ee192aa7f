using System.Data.Common;

namespace LightNvr.Data;

/// <summary>The <c>users</c> table.</summary>
public sealed class UserStore(Database database, TimeProvider time)
{

    public Task<IReadOnlyList<UserRecord>> ListAsync(CancellationToken ct = default) =>
        QueryAsync("SELECT * FROM users ORDER BY id", null, ct);

    public async Task<UserRecord?> GetAsync(long id, CancellationToken ct = default) =>
        (await QueryAsync("SELECT * FROM users WHERE id = @v", id, ct).ConfigureAwait(false)).FirstOrDefault();

    public async Task<UserRecord?> GetByUsernameAsync(string username, CancellationToken ct = default) =>
        (await QueryAsync("SELECT * FROM users WHERE username = @v", username, ct).ConfigureAwait(false)).FirstOrDefault();

    public async Task<UserRecord?> GetByApiKeyHashAsync(string apiKeyHash, CancellationToken ct = default) =>
        (await QueryAsync("SELECT * FROM users WHERE api_key = @v", apiKeyHash, ct).ConfigureAwait(false)).FirstOrDefault();

    public async Task<long> CountAsync(CancellationToken ct = default) =>
        (long)(await ScalarAsync("SELECT COUNT(*) FROM users", [], ct).ConfigureAwait(false))!;

    public async Task<long> CountActiveAdminsAsync(CancellationToken ct = default) =>
        (long)(await ScalarAsync("SELECT COUNT(*) FROM users WHERE role = 0 AND is_active = 1", [], ct).ConfigureAwait(false))!;

    /// <summary>Inserts a user; returns the new id, or null when the username is taken.</summary>
    public async Task<long?> InsertAsync(UserRecord user, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        try
        {
            return (long)(await ScalarAsync(
                "INSERT INTO users (username, password_hash, salt, role, email, created_at, updated_at, last_login, is_active, " +
                "password_change_locked, allowed_tags, allowed_login_cidrs) VALUES (@u, @h, @s, @r, @e, @now, @now, 0, @a, @l, @t, @c) RETURNING id",
                [("@u", user.Username), ("@h", user.PasswordHash), ("@s", user.Salt), ("@r", (int)user.Role), ("@e", user.Email),
                 ("@now", now), ("@a", user.IsActive ? 1 : 0), ("@l", user.PasswordChangeLocked ? 1 : 0),
                 ("@t", user.AllowedTags), ("@c", user.AllowedLoginCidrs)], ct).ConfigureAwait(false))!;
        }
        catch (DbException e) when (SqlDialect.IsUniqueViolation(e))
        {
            return null;
        }
    }

    /// <summary>Writes username, email, role, is_active, tags and CIDRs; false when the username is taken.</summary>
    public async Task<bool> UpdateProfileAsync(UserRecord user, CancellationToken ct = default)
    {
        try
        {
            await ScalarAsync(
                "UPDATE users SET username = @u, email = @e, role = @r, is_active = @a, allowed_tags = @t, allowed_login_cidrs = @c, " +
                "updated_at = @now WHERE id = @id",
                [("@u", user.Username), ("@e", user.Email), ("@r", (int)user.Role), ("@a", user.IsActive ? 1 : 0),
                 ("@t", user.AllowedTags), ("@c", user.AllowedLoginCidrs), ("@now", time.GetUtcNow().ToUnixTimeSeconds()),
                 ("@id", user.Id)], ct).ConfigureAwait(false);
            return true;
        }
        catch (DbException e) when (SqlDialect.IsUniqueViolation(e))
        {
            return false;
        }
    }

    public Task SetPasswordAsync(long id, string passwordHash, string salt, CancellationToken ct = default) =>
        ScalarAsync("UPDATE users SET password_hash = @h, salt = @s, updated_at = @now WHERE id = @id",
            [("@h", passwordHash), ("@s", salt), ("@now", time.GetUtcNow().ToUnixTimeSeconds()), ("@id", id)], ct);

    public Task SetApiKeyHashAsync(long id, string? apiKeyHash, CancellationToken ct = default) =>
        ScalarAsync("UPDATE users SET api_key = @k, updated_at = @now WHERE id = @id",
            [("@k", apiKeyHash), ("@now", time.GetUtcNow().ToUnixTimeSeconds()), ("@id", id)], ct);

    public Task SetPasswordLockAsync(long id, bool locked, CancellationToken ct = default) =>
        ScalarAsync("UPDATE users SET password_change_locked = @l, updated_at = @now WHERE id = @id",
            [("@l", locked ? 1 : 0), ("@now", time.GetUtcNow().ToUnixTimeSeconds()), ("@id", id)], ct);

    /// <summary>Stores a TOTP secret (null clears it) and whether it is enforced at login.</summary>
    public Task SetTotpAsync(long id, string? secret, bool enabled, CancellationToken ct = default) =>
        ScalarAsync("UPDATE users SET totp_secret = @s, totp_enabled = @e, updated_at = @now WHERE id = @id",
            [("@s", secret), ("@e", enabled ? 1 : 0), ("@now", time.GetUtcNow().ToUnixTimeSeconds()), ("@id", id)], ct);

    public Task TouchLastLoginAsync(long id, CancellationToken ct = default) =>
        ScalarAsync("UPDATE users SET last_login = @now WHERE id = @id",
            [("@now", time.GetUtcNow().ToUnixTimeSeconds()), ("@id", id)], ct);

    public async Task<bool> DeleteAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM users WHERE id = @id";
        command.Parameters.AddWithValue("@id", id);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) > 0;
    }

    private async Task<object?> ScalarAsync(string sql, (string Name, object? Value)[] parameters, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<UserRecord>> QueryAsync(string sql, object? value, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (value is not null)
        {
            command.Parameters.AddWithValue("@v", value);
        }
        var result = new List<UserRecord>();
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            result.Add(UserRecord.Read(new RowReader(reader)));
        }
        return result;
    }
}
