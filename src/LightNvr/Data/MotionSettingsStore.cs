namespace LightNvr.Data;

/// <summary>The <c>motion_settings</c> table: a stream's motion detector parameters (no row: the defaults).</summary>
public sealed class MotionSettingsStore(Database database)
{
    public async Task<MotionSettings> GetAsync(string stream, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sensitivity, threshold, cooldown_seconds, min_motion_frames FROM motion_settings " +
            "WHERE stream_name = @s";
        command.Parameters.AddWithValue("@s", stream);
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            return MotionSettings.Default;
        }
        var r = new RowReader(reader);
        var d = MotionSettings.Default;
        return new MotionSettings(
            Math.Clamp(r.Double("sensitivity", d.Sensitivity), 0, 1),
            Math.Clamp(r.Double("threshold", d.Threshold), 0.0001, 1),
            Math.Clamp(r.Int("cooldown_seconds", d.CooldownSeconds), 0, 3600),
            Math.Clamp(r.Int("min_motion_frames", d.MinMotionFrames), 1, 100));
    }

    /// <summary>Writes (inserts or replaces) a stream's row; for tests and a future settings API.</summary>
    public async Task SetAsync(string stream, MotionSettings settings, long now, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO motion_settings (stream_name, enabled, sensitivity, threshold, cooldown_seconds, " +
            "min_motion_frames, created_at, updated_at) VALUES (@s, 1, @se, @th, @c, @m, @t, @t) ON CONFLICT(stream_name) DO UPDATE SET " +
            "sensitivity = excluded.sensitivity, threshold = excluded.threshold, cooldown_seconds = excluded.cooldown_seconds, " +
            "min_motion_frames = excluded.min_motion_frames, updated_at = excluded.updated_at";
        command.Parameters.AddWithValue("@s", stream);
        command.Parameters.AddWithValue("@se", settings.Sensitivity);
        command.Parameters.AddWithValue("@th", settings.Threshold);
        command.Parameters.AddWithValue("@c", settings.CooldownSeconds);
        command.Parameters.AddWithValue("@m", settings.MinMotionFrames);
        command.Parameters.AddWithValue("@t", now);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
