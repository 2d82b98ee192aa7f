namespace LightNvr.Data;

/// <summary>
/// The <c>detections</c> table (seed schema): what the event spine saw, at a bounded rate (docs/events.md); the API lists
/// its labels, <c>GET /api/detection/results/{stream}</c> its recent rows, and the recordings filter "has detection"
/// matches rows inside a recording's time. Each row names the recorder node that wrote it (<paramref name="nodeId"/>,
/// M0013; '' on one box), so the purge follows the per-location retention rule (docs/scale.md).
/// </summary>
public sealed class DetectionStore(Database database, string nodeId = "")
{
    /// <summary>Distinct labels listed at most (the recordings filter's choices).</summary>
    public const int MaxLabels = 1000;

    public async Task<List<string>> LabelsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT DISTINCT label FROM detections ORDER BY label LIMIT {MaxLabels}";
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var labels = new List<string>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            labels.Add(reader.GetString(0));
        }
        return labels;
    }

    /// <summary>Rows <c>GET /api/detection/results</c> returns at most (upstream's 20).</summary>
    public const int MaxResults = 20;

    public async Task InsertAsync(DetectionRow row, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText =
            "INSERT INTO detections (stream_name, timestamp, label, confidence, x, y, width, height, created_at, zone_id, source, " +
            "event_end_time, node_id) VALUES (@s, @t, @l, @c, @x, @y, @w, @h, @t, @z, @src, @end, @node)";
        command.Parameters.AddWithValue("@node", nodeId);
        command.Parameters.AddWithValue("@s", row.Stream);
        command.Parameters.AddWithValue("@t", row.Timestamp);
        command.Parameters.AddWithValue("@l", row.Label);
        command.Parameters.AddWithValue("@c", row.Confidence);
        command.Parameters.AddWithValue("@x", (object?)row.X ?? DBNull.Value);
        command.Parameters.AddWithValue("@y", (object?)row.Y ?? DBNull.Value);
        command.Parameters.AddWithValue("@w", (object?)row.Width ?? DBNull.Value);
        command.Parameters.AddWithValue("@h", (object?)row.Height ?? DBNull.Value);
        command.Parameters.AddWithValue("@z", row.Zone ?? "");
        command.Parameters.AddWithValue("@src", row.Source);
        command.Parameters.AddWithValue("@end", (object?)row.EndTimestamp ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Streams that have detection rows (retention walks them).</summary>
    public async Task<List<string>> StreamsAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT stream_name FROM detections";
        var names = new List<string>();
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }

    /// <summary>Retention: deletes up to <paramref name="max"/> of the stream's oldest rows before <paramref name="before"/> (unix seconds).</summary>
    public async Task<int> PurgeAsync(string stream, long before, int max, CancellationToken ct = default, RetentionScope? scope = null)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM detections WHERE id IN (SELECT id FROM detections WHERE stream_name = @s " +
            "AND timestamp < @before" + (scope ?? RetentionScope.Everything).Sql(command) + " ORDER BY timestamp, id LIMIT @max)";
        command.Parameters.AddWithValue("@s", stream);
        command.Parameters.AddWithValue("@before", before);
        command.Parameters.AddWithValue("@max", max);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The newest <see cref="MaxResults"/> rows of a stream with a timestamp in [from, to], newest first.</summary>
    public async Task<List<DetectionRow>> RecentAsync(string stream, long from, long to, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM detections WHERE stream_name = @s AND timestamp >= @from AND timestamp <= @to " +
            $"ORDER BY timestamp DESC, id DESC LIMIT {MaxResults}";
        command.Parameters.AddWithValue("@s", stream);
        command.Parameters.AddWithValue("@from", from);
        command.Parameters.AddWithValue("@to", to);
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var rows = new List<DetectionRow>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var r = new RowReader(reader);
            rows.Add(new DetectionRow(r.Text("stream_name"), r.Long("timestamp"), r.Text("label"), r.Double("confidence"),
                r.NullableDouble("x"), r.NullableDouble("y"), r.NullableDouble("width"), r.NullableDouble("height"),
                r.Text("zone_id") is { Length: > 0 } z ? z : null, r.Text("source"), r.NullableLong("event_end_time")));
        }
        return rows;
    }

    /// <summary>
    /// Upstream's <c>detection_labels</c> of recordings: per recording id, each label of the <c>detections</c> rows inside
    /// its time and how many, most frequent first. One query over the (stream_name, timestamp) index for a whole page.
    /// </summary>
    public async Task<Dictionary<long, List<(string Label, long Count)>>> LabelCountsAsync(IReadOnlyCollection<long> recordingIds,
        CancellationToken ct = default)
    {
        var map = new Dictionary<long, List<(string, long)>>();
        if (recordingIds.Count == 0)
        {
            return map;
        }
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT r.id, d.label, COUNT(*) AS n FROM recordings r JOIN detections d ON d.stream_name = r.stream_name " +
            "AND d.timestamp >= r.start_time AND d.timestamp <= COALESCE(r.end_time, r.start_time) " +
            "WHERE r.id IN (" + SqlDialect.Of(command).JsonIntegers("@ids") + ") GROUP BY r.id, d.label ORDER BY r.id, n DESC, d.label";
        command.Parameters.AddWithValue("@ids", "[" + string.Join(",", recordingIds) + "]");
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var id = reader.GetInt64(0);
            if (!map.TryGetValue(id, out var list))
            {
                map[id] = list = [];
            }
            list.Add((reader.GetString(1), reader.GetInt64(2)));
        }
        return map;
    }
}
