namespace LightNvr.Data;

/// <summary>The <c>system_settings</c> key/value table (keys such as setup_complete, go2rtc_config_override).</summary>
public sealed class SettingsStore(Database database, TimeProvider time)
{
    public async Task<string?> GetAsync(string key, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM system_settings WHERE key = @k";
        command.Parameters.AddWithValue("@k", key);
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
    }

    public async Task<IReadOnlyDictionary<string, string>> GetAllAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT key, value FROM system_settings ORDER BY key";
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            result[reader.GetString(0)] = reader.IsDBNull(1) ? "" : reader.GetString(1);
        }
        return result;
    }

    public async Task SetAsync(string key, string value, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO system_settings (key, value, updated_at) VALUES (@k, @v, @t) " +
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at";
        command.Parameters.AddWithValue("@k", key);
        command.Parameters.AddWithValue("@v", value);
        command.Parameters.AddWithValue("@t", time.GetUtcNow().ToUnixTimeSeconds());
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM system_settings WHERE key = @k";
        command.Parameters.AddWithValue("@k", key);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) > 0;
    }
}
