namespace LightNvr.Data;

/// <summary>The recordings table as sync, maintenance and /api/system see it: rows by file, totals.</summary>
public sealed partial class RecordingStore
{
    /// <summary>Every row's file, size and state (sync compares them with the disk; it reads every row, docs/storage.md).</summary>
    public async Task<List<RecordingFileRow>> ListFilesAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, file_path, size_bytes, is_complete, deleting, stream_name FROM recordings";
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var rows = new List<RecordingFileRow>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(new RecordingFileRow(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3) == 1,
                reader.GetInt64(4) == 1, reader.GetString(5)));
        }
        return rows;
    }

    /// <summary>Removes a complete row nobody is deleting (its file is gone); false when the row changed meanwhile.</summary>
    public async Task<bool> RemoveCompleteAsync(long id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM recordings WHERE id = @id AND is_complete = 1 AND deleting = 0";
        command.Parameters.AddWithValue("@id", id);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) > 0;
    }

    /// <summary>Sets a row's size to its file's (sync); false when the row is gone.</summary>
    public async Task<bool> SetSizeAsync(long id, long sizeBytes, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE recordings SET size_bytes = @s WHERE id = @id";
        command.Parameters.AddWithValue("@s", sizeBytes);
        command.Parameters.AddWithValue("@id", id);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) > 0;
    }

    /// <summary>Rows whose file_path is any of <paramref name="paths"/> (a file that belongs to a recording).</summary>
    public async Task<long> CountWithPathAsync(IReadOnlyList<string> paths, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        var names = new List<string>();
        for (var i = 0; i < paths.Count; i++)
        {
            names.Add("@p" + i);
            command.Parameters.AddWithValue("@p" + i, paths[i]);
        }
        command.CommandText = $"SELECT COUNT(*) FROM recordings WHERE file_path IN ({string.Join(", ", names)})";
        return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    /// <summary>Listed recordings (the per-stream counts kept by triggers) and the bytes of complete ones, for /api/system.</summary>
    public async Task<(long Count, long Bytes)> TotalsAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT CAST(COALESCE(SUM(listed), 0) AS BIGINT) FROM recording_list_counts), " +
            "(SELECT CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) FROM recordings WHERE is_complete = 1 AND deleting = 0)";
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? (reader.GetInt64(0), reader.GetInt64(1)) : (0, 0);
    }
}
