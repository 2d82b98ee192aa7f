using System.Data.Common;
namespace LightNvr.Data;

public sealed partial class RecordingStore
{
    /// <summary>Longest segment a window search reaches back for: the recorder's longest segment is 1 h (mp4_segment_duration max), doubled.</summary>
    public const long MaxSegmentSeconds = 2 * 3600;

    /// <summary>
    /// A page of listed recordings (complete, not being deleted) with the total matching the filter. The total of an
    /// unfiltered, stream-only or one-tag (and streams) query is read from <c>recording_list_counts</c> or
    /// <c>recording_tag_counts</c> (kept by triggers); any other filter counts with the same WHERE, which the partial
    /// list and tag indexes bound (RecordingFilterSql).
    /// </summary>
    public async Task<RecordingPage> ListAsync(RecordingQuery query, CancellationToken ct = default)
    {
        var pageSize = Math.Clamp(query.PageSize, 1, RecordingQuery.MaxPageSize);
        var page = Math.Max(query.Page, 1);
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        var (pageSql, countSql) = RecordingFilterSql.List(query, command);
        command.CommandText = countSql;
        var total = (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;

        command.CommandText = pageSql;
        command.Parameters.AddWithValue("@limit", pageSize);
        command.Parameters.AddWithValue("@offset", (long)(page - 1) * pageSize);
        var items = new List<RecordingRecord>();
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            items.Add(RecordingRecord.Read(new RowReader(reader)));
        }
        return new RecordingPage(items, total);
    }

    /// <summary>
    /// Segments of one stream overlapping [start, end), oldest first, at most <paramref name="max"/>: complete ones and
    /// the open one (its end is taken as now). For the timeline and export.
    /// </summary>
    public async Task<IReadOnlyList<RecordingRecord>> ListOverlappingAsync(string stream, DateTimeOffset start, DateTimeOffset end,
        int max, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM recordings WHERE stream_name = @s AND deleting = 0 AND start_time < @end " +
            "AND COALESCE(end_time, @now) >= @start AND start_time >= @earliest ORDER BY start_time, id LIMIT @max";
        command.Parameters.AddWithValue("@s", stream);
        command.Parameters.AddWithValue("@start", start.ToUnixTimeSeconds());
        command.Parameters.AddWithValue("@end", end.ToUnixTimeSeconds());
        command.Parameters.AddWithValue("@now", time.GetUtcNow().ToUnixTimeSeconds());
        // Bounds the index range: no segment is longer than the recorder's longest (1 h) plus slack.
        command.Parameters.AddWithValue("@earliest", start.ToUnixTimeSeconds() - MaxSegmentSeconds);
        command.Parameters.AddWithValue("@max", max);
        return await ReadAllAsync(command, ct).ConfigureAwait(false);
    }

    /// <summary>Rows by id (missing ids are skipped), in id order.</summary>
    public async Task<IReadOnlyList<RecordingRecord>> GetManyAsync(IReadOnlyList<long> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM recordings WHERE id IN (" + SqlDialect.Of(command).JsonIntegers("@ids") + ") ORDER BY id";
        command.Parameters.AddWithValue("@ids", "[" + string.Join(",", ids) + "]");
        return await ReadAllAsync(command, ct).ConfigureAwait(false);
    }

    /// <summary>Ids of every listed recording matching a filter (batch delete by filter), at most <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<long>> ListIdsAsync(RecordingQuery query, int max, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        var where = RecordingFilterSql.Where(query, command, out _);
        command.CommandText = $"SELECT r.id FROM recordings r WHERE {where} ORDER BY r.start_time, r.id LIMIT @max";
        command.Parameters.AddWithValue("@max", max);
        var ids = new List<long>();
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            ids.Add(reader.GetInt64(0));
        }
        return ids;
    }

    internal static async Task<List<RecordingRecord>> ReadAllAsync(DbCommand command, CancellationToken ct)
    {
        var items = new List<RecordingRecord>();
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            items.Add(RecordingRecord.Read(new RowReader(reader)));
        }
        return items;
    }
}
