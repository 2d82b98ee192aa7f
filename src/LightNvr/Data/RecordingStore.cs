namespace LightNvr.Data;

/// <summary>
/// The <c>recordings</c> table. The recorder inserts an open row once the segment file exists on disk (docs/data.md,
/// crash-consistency order), then updates size/end and finally marks it complete.
/// </summary>
public sealed partial class RecordingStore(Database database, TimeProvider time)
{
    /// <summary>Inserts an open segment (is_complete 0, end_time NULL) and returns its id.</summary>
    public async Task<long> InsertOpenAsync(RecordingRecord recording, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(recording);
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        const string Columns = "INSERT INTO recordings (stream_name, file_path, start_time, end_time, size_bytes, width, height, fps, codec, " +
            "is_complete, created_at, trigger_type, protected, retention_override_days, node_id) ";
        const string Values = "@s, @f, @start, NULL, @size, @w, @h, @fps, @codec, 0, @now, @trigger, @prot, @ret, @node";
        // Fencing (docs/scale.md): with a lease epoch, the row goes in only while the lease still names this node at
        // that epoch, in the same statement, so a node whose lease was taken over cannot add a row afterwards.
        command.CommandText = recording.LeaseEpoch is null
            ? Columns + "VALUES (" + Values + ") RETURNING id"
            : Columns + "SELECT " + Values + " WHERE EXISTS (SELECT 1 FROM camera_leases WHERE stream_name = @s " +
                "AND node_id = @node AND epoch = @epoch) RETURNING id";
        command.Parameters.AddWithValue("@s", recording.StreamName);
        command.Parameters.AddWithValue("@f", recording.FilePath);
        command.Parameters.AddWithValue("@start", recording.StartTime.ToUnixTimeSeconds());
        command.Parameters.AddWithValue("@size", recording.SizeBytes);
        command.Parameters.AddWithValue("@w", recording.Width);
        command.Parameters.AddWithValue("@h", recording.Height);
        command.Parameters.AddWithValue("@fps", recording.Fps);
        command.Parameters.AddWithValue("@codec", recording.Codec);
        command.Parameters.AddWithValue("@now", time.GetUtcNow().ToUnixTimeSeconds());
        command.Parameters.AddWithValue("@trigger", recording.TriggerType);
        command.Parameters.AddWithValue("@prot", recording.Protected ? 1 : 0);
        command.Parameters.AddWithValue("@ret", recording.RetentionOverrideDays is { } d ? d : DBNull.Value);
        command.Parameters.AddWithValue("@node", recording.NodeId);
        if (recording.LeaseEpoch is { } epoch)
        {
            command.Parameters.AddWithValue("@epoch", epoch);
        }
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is { } id and not DBNull
            ? Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture)
            : throw new LeaseLostException(recording.StreamName, recording.NodeId, recording.LeaseEpoch ?? 0);
    }

    /// <summary>Records progress or the end of a segment; false when the id does not exist.</summary>
    public async Task<bool> UpdateProgressAsync(long id, long sizeBytes, DateTimeOffset? endTime, bool isComplete,
        CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE recordings SET size_bytes = @size, end_time = @end, is_complete = @c WHERE id = @id";
        command.Parameters.AddWithValue("@size", sizeBytes);
        command.Parameters.AddWithValue("@end", endTime is { } e ? e.ToUnixTimeSeconds() : DBNull.Value);
        command.Parameters.AddWithValue("@c", isComplete ? 1 : 0);
        command.Parameters.AddWithValue("@id", id);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) > 0;
    }

    public async Task<RecordingRecord?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM recordings WHERE id = @id";
        command.Parameters.AddWithValue("@id", id);
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? RecordingRecord.Read(new RowReader(reader)) : null;
    }

    /// <summary>
    /// Rows still open (is_complete 0): at start-up these are segments a crash interrupted, for the recorder to
    /// finalise from the file or drop when the file is missing (docs/data.md, crash-consistency order, step 5).
    /// </summary>
    /// <param name="nodeId">Recorder nodes sharing one database (docs/scale.md): only this node's rows (the others'
    /// open rows are segments those nodes are writing); null = every row (one box).</param>
    public async Task<IReadOnlyList<RecordingRecord>> ListIncompleteAsync(CancellationToken ct = default, string? nodeId = null)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = nodeId is null
            ? "SELECT * FROM recordings WHERE is_complete = 0 ORDER BY id"
            : "SELECT * FROM recordings WHERE is_complete = 0 AND node_id = @node ORDER BY id";
        if (nodeId is not null)
        {
            command.Parameters.AddWithValue("@node", nodeId);
        }
        var items = new List<RecordingRecord>();
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            items.Add(RecordingRecord.Read(new RowReader(reader)));
        }
        return items;
    }

    /// <summary>
    /// Closes a segment: end time, final size, what the video turned out to be, is_complete 1. False when the id does
    /// not exist. (The recorder's last write of a row; start-up repair uses it too.)
    /// </summary>
    public async Task<bool> CompleteAsync(long id, DateTimeOffset endTime, long sizeBytes, int width, int height, int fps,
        string codec, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE recordings SET end_time = @end, size_bytes = @size, width = @w, height = @h, " +
            "fps = @fps, codec = @codec, is_complete = 1 WHERE id = @id";
        command.Parameters.AddWithValue("@end", endTime.ToUnixTimeSeconds());
        command.Parameters.AddWithValue("@size", sizeBytes);
        command.Parameters.AddWithValue("@w", width);
        command.Parameters.AddWithValue("@h", height);
        command.Parameters.AddWithValue("@fps", fps);
        command.Parameters.AddWithValue("@codec", codec);
        command.Parameters.AddWithValue("@id", id);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) > 0;
    }

    /// <summary>
    /// Start (unix seconds) of a stream's newest row, rows being deleted included, or null when it has none: one step
    /// down the (stream_name, start_time) index.
    /// </summary>
    public async Task<long?> NewestStartAsync(string stream, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(start_time) FROM recordings WHERE stream_name = @s";
        command.Parameters.AddWithValue("@s", stream);
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is long start ? start : null;
    }

    /// <summary>
    /// File paths of a stream's rows (being deleted or not) that started at or after <paramref name="since"/> (unix
    /// seconds), on the (stream_name, start_time) index: start-up recovery's check of a stream's newest files, so
    /// only a recent window of paths is ever held.
    /// </summary>
    public async Task<HashSet<string>> FilePathsSinceAsync(string stream, long since, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT file_path FROM recordings WHERE stream_name = @s AND start_time >= @since";
        command.Parameters.AddWithValue("@s", stream);
        command.Parameters.AddWithValue("@since", since);
        var paths = new HashSet<string>(StringComparer.Ordinal);
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            paths.Add(reader.GetString(0));
        }
        return paths;
    }

    /// <summary>
    /// Whether a row (being deleted or not) names <paramref name="path"/>, a segment whose name says it started at
    /// <paramref name="localStart"/> in some zone: its row's start is within a day of that read as UTC (UTC offsets
    /// span −12 h to +14 h), so only that day's rows are read, on the start_time index; file_path has no index.
    /// </summary>
    public async Task<bool> HasFileAsync(string path, DateTime localStart, CancellationToken ct = default)
    {
        var approx = new DateTimeOffset(DateTime.SpecifyKind(localStart, DateTimeKind.Unspecified), TimeSpan.Zero)
            .ToUnixTimeSeconds();
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT CASE WHEN EXISTS (SELECT 1 FROM recordings WHERE start_time BETWEEN @a AND @b AND file_path = @p) THEN 1 ELSE 0 END";
        command.Parameters.AddWithValue("@a", approx - 86400);
        command.Parameters.AddWithValue("@b", approx + 86400);
        command.Parameters.AddWithValue("@p", path);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    /// <summary>Deletes a row (only the row: callers own the file's order of deletion). False when absent.</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM recordings WHERE id = @id";
        command.Parameters.AddWithValue("@id", id);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) > 0;
    }
}
