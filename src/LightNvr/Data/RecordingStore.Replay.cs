namespace LightNvr.Data;

/// <summary>The recordings rows of the pending-row queue (docs/scale.md, database outage), replayed when the database answers.</summary>
public sealed partial class RecordingStore
{
    /// <summary>
    /// The id of the row naming <paramref name="path"/>, a segment of <paramref name="stream"/> that started at
    /// <paramref name="start"/>, or null: a replay already written (before a crash, or adopted by sync) is not written twice.
    /// </summary>
    public async Task<long?> FindFileAsync(string stream, DateTimeOffset start, string path, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM recordings WHERE stream_name = @s AND start_time = @start AND file_path = @f";
        command.Parameters.AddWithValue("@s", stream);
        command.Parameters.AddWithValue("@start", start.ToUnixTimeSeconds());
        command.Parameters.AddWithValue("@f", path);
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is { } id and not DBNull
            ? Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }

    /// <summary>
    /// Inserts the open row of a segment recorded while the database was away; null when fencing refuses it. With a
    /// lease epoch (recorder nodes) the row goes in when the lease still names this node at that epoch, or else when
    /// no other node's row of the camera overlaps the segment's time [start, end) (an open row counts as reaching
    /// now): a node cut off from the database while another took its camera over lists only what nobody else recorded.
    /// Without an epoch (one box) it always goes in.
    /// </summary>
    public async Task<long?> InsertReplayedAsync(RecordingRecord recording, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(recording);
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        const string Insert = "INSERT INTO recordings (stream_name, file_path, start_time, end_time, size_bytes, width, height, fps, " +
            "codec, is_complete, created_at, trigger_type, protected, retention_override_days, node_id) " +
            "SELECT @s, @f, @start, NULL, @size, @w, @h, @fps, @codec, 0, @now, @trigger, 0, NULL, @node";
        command.CommandText = recording.LeaseEpoch is null
            ? Insert + " RETURNING id"
            : Insert + " WHERE EXISTS (SELECT 1 FROM camera_leases WHERE stream_name = @s AND node_id = @node AND epoch = @epoch) " +
                "OR NOT EXISTS (SELECT 1 FROM recordings WHERE stream_name = @s AND node_id <> @node AND start_time < @end " +
                "AND (end_time IS NULL OR end_time > @start)) RETURNING id";
        command.Parameters.AddWithValue("@s", recording.StreamName);
        command.Parameters.AddWithValue("@f", recording.FilePath);
        command.Parameters.AddWithValue("@start", recording.StartTime.ToUnixTimeSeconds());
        command.Parameters.AddWithValue("@end", (recording.EndTime ?? recording.StartTime).ToUnixTimeSeconds());
        command.Parameters.AddWithValue("@size", recording.SizeBytes);
        command.Parameters.AddWithValue("@w", recording.Width);
        command.Parameters.AddWithValue("@h", recording.Height);
        command.Parameters.AddWithValue("@fps", recording.Fps);
        command.Parameters.AddWithValue("@codec", recording.Codec);
        command.Parameters.AddWithValue("@now", time.GetUtcNow().ToUnixTimeSeconds());
        command.Parameters.AddWithValue("@trigger", recording.TriggerType);
        command.Parameters.AddWithValue("@node", recording.NodeId);
        if (recording.LeaseEpoch is { } epoch)
        {
            command.Parameters.AddWithValue("@epoch", epoch);
        }
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is { } id and not DBNull
            ? Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }
}
