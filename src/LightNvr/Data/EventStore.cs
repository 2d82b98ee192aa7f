using System.Text;
using System.Data.Common;

namespace LightNvr.Data;

/// <summary>
/// The <c>detection_events</c> table (M0007): the event spine's rows (docs/events.md). Each row names the recorder node
/// that wrote it (<paramref name="nodeId"/>, M0013; '' on one box), whose disk holds its snapshot, so the purge of old
/// events follows the per-location retention rule (docs/scale.md).
/// </summary>
public sealed class EventStore(Database database, string nodeId = "")
{
    /// <summary>Streams one list filter may name (as the recordings list's comma list).</summary>
    public const int MaxStreamsInFilter = 1000;

    public async Task<long> InsertAsync(EventRecord e, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText =
            "INSERT INTO detection_events (stream_name, source, label, confidence, x, y, width, height, zone_id, start_time, " +
            "end_time, last_seen, snapshot_path, recording_id, created_at, node_id) VALUES (@s, @src, @l, @c, @x, @y, @w, @h, @z, " +
            "@start, @end, @last, @snap, @rec, @start, @node) RETURNING id";
        Bind(command, e);
        command.Parameters.AddWithValue("@node", nodeId);
        return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    /// <summary>Writes the event's changing columns (best confidence and box, last_seen, end, snapshot, recording).</summary>
    public async Task UpdateAsync(EventRecord e, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText =
            "UPDATE detection_events SET confidence = @c, x = @x, y = @y, width = @w, height = @h, end_time = @end, " +
            "last_seen = @last, snapshot_path = COALESCE(snapshot_path, @snap), recording_id = COALESCE(recording_id, @rec) WHERE id = @id";
        Bind(command, e);
        command.Parameters.AddWithValue("@id", e.Id);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Sets an event's snapshot and/or recording when it has none yet (null arguments change nothing).</summary>
    public async Task AttachAsync(long id, string? snapshotPath, long? recordingId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE detection_events SET snapshot_path = COALESCE(snapshot_path, @snap), " +
            "recording_id = COALESCE(recording_id, @rec) WHERE id = @id";
        command.Parameters.AddWithValue("@snap", (object?)snapshotPath ?? DBNull.Value);
        command.Parameters.AddWithValue("@rec", (object?)recordingId ?? DBNull.Value);
        command.Parameters.AddWithValue("@id", id);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Start-up: closes every event a crash (kill -9, power cut) left open, at its last observation. Returns how many.
    /// </summary>
    public async Task<int> CloseOpenAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE detection_events SET end_time = {SqlDialect.Of(command).Greatest("last_seen", "start_time")} WHERE end_time IS NULL";
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Streams that have events (retention walks them: a deleted stream's events expire too).</summary>
    public async Task<List<string>> StreamsAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT stream_name FROM detection_events";
        var names = new List<string>();
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }

    /// <summary>
    /// Retention: deletes up to <paramref name="max"/> of the stream's oldest closed events that started before
    /// <paramref name="before"/> (unix seconds); returns their snapshot paths (the caller removes the files) and how many went.
    /// An open event is never deleted. <paramref name="scope"/>: whose rows (by <c>node_id</c>) this node may take.
    /// </summary>
    public async Task<(int Deleted, List<string> Snapshots)> PurgeAsync(string stream, long before, int max, CancellationToken ct = default,
        RetentionScope? scope = null)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM detection_events WHERE id IN (SELECT id FROM detection_events WHERE stream_name = @s " +
            "AND start_time < @before AND end_time IS NOT NULL" + (scope ?? RetentionScope.Everything).Sql(command)
            + " ORDER BY start_time, id LIMIT @max) RETURNING snapshot_path";
        command.Parameters.AddWithValue("@s", stream);
        command.Parameters.AddWithValue("@before", before);
        command.Parameters.AddWithValue("@max", max);
        var deleted = 0;
        var snapshots = new List<string>();
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            deleted++;
            if (!reader.IsDBNull(0) && reader.GetString(0) is { Length: > 0 } path)
            {
                snapshots.Add(path);
            }
        }
        return (deleted, snapshots);
    }

    public async Task<EventRecord?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM detection_events WHERE id = @id";
        command.Parameters.AddWithValue("@id", id);
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? EventRecord.Read(new RowReader(reader)) : null;
    }

    /// <summary>Events of a stream overlapping [from, to] (unix seconds; an open event reaches to), oldest first.</summary>
    public async Task<List<EventRecord>> OverlappingAsync(string stream, long from, long to, int max, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM detection_events WHERE stream_name = @s AND start_time <= @to " +
            "AND COALESCE(end_time, @to) >= @from ORDER BY start_time, id LIMIT @max";
        command.Parameters.AddWithValue("@s", stream);
        command.Parameters.AddWithValue("@from", from);
        command.Parameters.AddWithValue("@to", to);
        command.Parameters.AddWithValue("@max", max);
        var items = new List<EventRecord>();
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            items.Add(EventRecord.Read(new RowReader(reader)));
        }
        return items;
    }

    /// <summary>One page, newest first, and the total matching.</summary>
    public async Task<(List<EventRecord> Events, long Total)> ListAsync(EventQuery q, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        var where = new StringBuilder("1 = 1");
        if (q.Streams is { } streams)
        {
            where.Append(" AND stream_name IN (").Append(SqlDialect.Of(command).JsonTexts("@streams")).Append(')');
            command.Parameters.AddWithValue("@streams",
                new System.Text.Json.Nodes.JsonArray([.. streams.Take(MaxStreamsInFilter).Select(s => (System.Text.Json.Nodes.JsonNode)s)])
                    .ToJsonString());
        }
        Filter(where, command, "source", "@src", q.Source);
        Filter(where, command, "label", "@label", q.Label);
        if (q.Start is { } start)
        {
            where.Append(" AND start_time >= @start");
            command.Parameters.AddWithValue("@start", start);
        }
        if (q.End is { } end)
        {
            where.Append(" AND start_time <= @end");
            command.Parameters.AddWithValue("@end", end);
        }
        command.CommandText = $"SELECT COUNT(*) FROM detection_events WHERE {where}";
        var total = (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        command.CommandText = $"SELECT * FROM detection_events WHERE {where} ORDER BY start_time DESC, id DESC LIMIT @limit OFFSET @offset";
        command.Parameters.AddWithValue("@limit", q.Limit);
        command.Parameters.AddWithValue("@offset", (long)(q.Page - 1) * q.Limit);
        var items = new List<EventRecord>();
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            items.Add(EventRecord.Read(new RowReader(reader)));
        }
        return (items, total);
    }

    private static void Filter(StringBuilder where, DbCommand command, string column, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            where.Append($" AND {column} = {name}");
            command.Parameters.AddWithValue(name, value);
        }
    }

    private static void Bind(DbCommand command, EventRecord e)
    {
        command.Parameters.AddWithValue("@s", e.StreamName);
        command.Parameters.AddWithValue("@src", e.Source);
        command.Parameters.AddWithValue("@l", e.Label);
        command.Parameters.AddWithValue("@c", e.Confidence);
        command.Parameters.AddWithValue("@x", (object?)e.X ?? DBNull.Value);
        command.Parameters.AddWithValue("@y", (object?)e.Y ?? DBNull.Value);
        command.Parameters.AddWithValue("@w", (object?)e.Width ?? DBNull.Value);
        command.Parameters.AddWithValue("@h", (object?)e.Height ?? DBNull.Value);
        command.Parameters.AddWithValue("@z", (object?)e.Zone ?? DBNull.Value);
        command.Parameters.AddWithValue("@start", e.StartTime);
        command.Parameters.AddWithValue("@end", (object?)e.EndTime ?? DBNull.Value);
        command.Parameters.AddWithValue("@last", e.LastSeen);
        command.Parameters.AddWithValue("@snap", (object?)e.SnapshotPath ?? DBNull.Value);
        command.Parameters.AddWithValue("@rec", (object?)e.RecordingId ?? DBNull.Value);
    }
}
