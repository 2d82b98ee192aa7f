namespace LightNvr.Data;

/// <summary>
/// Read-only figures for <c>GET /api/storage/health</c>: the bytes recorded in a recent window, from the rows (the
/// <c>start_time</c> indexes keep both statements to the window's rows). An open segment's row is refreshed only
/// every 10 s, so its file is measured instead (by <c>fileLength</c>: this store touches no files). Rows being
/// deleted do not count.
/// </summary>
public sealed class StorageStatsStore(Database database)
{
    /// <summary>
    /// Recordings whose start is at or after <paramref name="since"/> (unix seconds). <paramref name="fileLength"/> gives
    /// an open segment's current file length from its row's path, or null when the file cannot be measured (the row's
    /// size is used then).
    /// </summary>
    public async Task<RecordedBytes> RecordedSinceAsync(long since, Func<string, long?> fileLength, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        long bytes;
        int count;
        long? oldest;
        bool spans;
        using (var spanning = connection.CreateCommand())
        {
            spanning.CommandText = "SELECT EXISTS (SELECT 1 FROM recordings WHERE end_time >= @since AND start_time < @since " +
                "AND deleting = 0)";
            spanning.Parameters.AddWithValue("@since", since);
            spans = (long)(await spanning.ExecuteScalarAsync(ct).ConfigureAwait(false))! == 1;
        }
        using (var complete = connection.CreateCommand())
        {
            complete.CommandText = "SELECT CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT), COUNT(*), MIN(start_time) FROM recordings " +
                "WHERE is_complete = 1 AND start_time >= @since AND deleting = 0";
            complete.Parameters.AddWithValue("@since", since);
            using var reader = await complete.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await reader.ReadAsync(ct).ConfigureAwait(false);
            bytes = reader.GetInt64(0);
            count = reader.GetInt32(1);
            oldest = reader.IsDBNull(2) ? null : reader.GetInt64(2);
        }
        using (var open = connection.CreateCommand())
        {
            open.CommandText = "SELECT file_path, size_bytes, start_time FROM recordings " +
                "WHERE is_complete = 0 AND start_time >= @since AND deleting = 0";
            open.Parameters.AddWithValue("@since", since);
            using var reader = await open.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                bytes += fileLength(reader.GetString(0)) ?? reader.GetInt64(1);
                count++;
                var start = reader.GetInt64(2);
                oldest = oldest is { } o && o <= start ? o : start;
            }
        }
        return new RecordedBytes(bytes, count, oldest, spans);
    }
}
