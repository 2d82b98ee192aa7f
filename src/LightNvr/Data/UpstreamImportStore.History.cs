using Microsoft.Data.Sqlite;

namespace LightNvr.Data;

/// <summary>
/// The import's history and credentials part: upstream's API keys (stored in clear in <c>users.api_key</c>, 0006; here
/// as their SHA-256), its <c>detections</c> (0005, 0009, 0046) and its <c>events</c> log. None of these rows has a
/// natural key upstream, so "the same row" is the same values: a detection by stream, time, label, source, confidence
/// and box; an event by type, time, stream and description. A second import adds nothing.
/// </summary>
public sealed partial class UpstreamImportStore
{
    /// <summary>
    /// Upstream users with an API key: the username, the key (in clear, as upstream stores it) and whether that
    /// username is here already (then its key is left as it is here: this database's decision wins).
    /// </summary>
    public async Task<List<(string Username, string ApiKey, bool UserHere)>> UpstreamApiKeysAsync(string snapshot, CancellationToken ct)
    {
        var keys = new List<(string, string, bool)>();
        await using var connection = await database.OpenSqliteAsync(ct).ConfigureAwait(false);
        await AttachAsync(connection, snapshot, ct).ConfigureAwait(false);
        try
        {
            if (await ScalarAsync(connection, "SELECT COUNT(*) FROM pragma_table_info('users', 'up') WHERE name = 'api_key'", ct)
                    .ConfigureAwait(false) == 0)
            {
                return keys;
            }

            using var command = connection.CreateCommand();
            command.CommandText = "SELECT u.username, u.api_key, EXISTS (SELECT 1 FROM main.users m WHERE m.username = u.username) " +
                "FROM up.users u WHERE u.api_key IS NOT NULL AND u.api_key <> '' ORDER BY u.username";
            using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                keys.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2) != 0));
            }
        }
        finally
        {
            await DetachAsync(connection).ConfigureAwait(false);
        }

        return keys;
    }

    /// <summary>Gives an imported user its API key's hash, unless it has a key here already.</summary>
    public async Task SetImportedApiKeyHashAsync(string username, string apiKeyHash, CancellationToken ct)
    {
        await using var connection = await database.OpenSqliteAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE users SET api_key = $h WHERE username = $u AND api_key IS NULL";
        command.Parameters.AddWithValue("$h", apiKeyHash);
        command.Parameters.AddWithValue("$u", username);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>This database's recordings by file path (to link imported detections to the imported rows).</summary>
    public async Task<Dictionary<string, long>> RecordingIdsByPathAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenSqliteAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT file_path, id FROM recordings";
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            ids[reader.GetString(0)] = reader.GetInt64(1);
        }

        return ids;
    }

    /// <summary>
    /// Every <c>detections</c> row of the snapshot, oldest first, with its recording's file path. Columns an older
    /// upstream lacks (track_id and zone_id before 0009, source and event_end_time before 0046) read as their defaults.
    /// </summary>
    public static async Task<List<UpstreamDetection>> ReadDetectionsAsync(string snapshot, CancellationToken ct)
    {
        await using var connection = OpenSnapshot(snapshot);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        var columns = new HashSet<string>(StringComparer.Ordinal);
        using (var info = connection.CreateCommand())
        {
            info.CommandText = "SELECT name FROM pragma_table_info('detections')";
            using var names = await info.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await names.ReadAsync(ct).ConfigureAwait(false))
            {
                columns.Add(names.GetString(0));
            }
        }

        var rows = new List<UpstreamDetection>();
        if (columns.Count == 0)
        {
            return rows;
        }

        string Or(string column, string fallback) => columns.Contains(column) ? "d." + column : fallback;
        var hasRecordings = await ScalarAsync(connection,
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'recordings'", ct).ConfigureAwait(false) > 0;
        using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT d.stream_name, d.timestamp, d.label, d.confidence, d.x, d.y, d.width, d.height, " +
            $"{Or("created_at", "NULL")}, {Or("track_id", "-1")}, {Or("zone_id", "''")}, {Or("source", "''")}, " +
            $"{Or("event_end_time", "NULL")}, " +
            (hasRecordings && columns.Contains("recording_id")
                ? "(SELECT r.file_path FROM recordings r WHERE r.id = d.recording_id)" : "NULL") +
            " FROM detections d ORDER BY d.timestamp, d.id";
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(new UpstreamDetection(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetDouble(3),
                NullableDouble(reader, 4), NullableDouble(reader, 5), NullableDouble(reader, 6), NullableDouble(reader, 7),
                reader.IsDBNull(8) ? null : reader.GetInt64(8), reader.IsDBNull(9) ? -1 : reader.GetInt64(9),
                reader.IsDBNull(10) ? "" : reader.GetString(10), reader.IsDBNull(11) ? "" : reader.GetString(11),
                reader.IsDBNull(12) ? null : reader.GetInt64(12), reader.IsDBNull(13) ? null : reader.GetString(13)));
        }

        return rows;
    }

    /// <summary>
    /// Adds the detections this database does not have (same stream, time, label, source, confidence and box), each
    /// linked to <paramref name="recordingIds"/>' row for its recording's file (null when that file was not imported);
    /// on <paramref name="dryRun"/> only counts them. One transaction. Returns how many were (or would be) added.
    /// </summary>
    public async Task<long> AddDetectionsAsync(IReadOnlyList<UpstreamDetection> rows, Func<UpstreamDetection, long?> recordingIds,
        bool dryRun, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(recordingIds);
        const string Same = "SELECT 1 FROM detections WHERE stream_name = $s AND timestamp = $t AND label = $l AND " +
            "COALESCE(source, '') = $src AND confidence = $c AND x IS $x AND y IS $y AND width IS $w AND height IS $h";
        await using var connection = await database.OpenSqliteAsync(ct).ConfigureAwait(false);
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = dryRun
            ? $"SELECT NOT EXISTS ({Same})"
            : "INSERT INTO detections (stream_name, timestamp, label, confidence, x, y, width, height, recording_id, created_at, " +
              "track_id, zone_id, source, event_end_time) SELECT $s, $t, $l, $c, $x, $y, $w, $h, $r, $created, $track, $zone, $src, " +
              $"$end WHERE NOT EXISTS ({Same})";
        var p = new Dictionary<string, SqliteParameter>(StringComparer.Ordinal);
        foreach (var name in new[] { "$s", "$t", "$l", "$c", "$x", "$y", "$w", "$h", "$r", "$created", "$track", "$zone", "$src", "$end" })
        {
            p[name] = command.Parameters.Add(name, SqliteType.Text);
            p[name].SqliteType = name is "$c" or "$x" or "$y" or "$w" or "$h" ? SqliteType.Real
                : name is "$s" or "$l" or "$zone" or "$src" ? SqliteType.Text : SqliteType.Integer;
        }

        long added = 0;
        foreach (var row in rows)
        {
            p["$s"].Value = row.StreamName;
            p["$t"].Value = row.Timestamp;
            p["$l"].Value = row.Label;
            p["$c"].Value = row.Confidence;
            p["$x"].Value = (object?)row.X ?? DBNull.Value;
            p["$y"].Value = (object?)row.Y ?? DBNull.Value;
            p["$w"].Value = (object?)row.Width ?? DBNull.Value;
            p["$h"].Value = (object?)row.Height ?? DBNull.Value;
            p["$r"].Value = (object?)recordingIds(row) ?? DBNull.Value;
            p["$created"].Value = row.CreatedAt ?? row.Timestamp;
            p["$track"].Value = row.TrackId;
            p["$zone"].Value = row.ZoneId;
            p["$src"].Value = row.Source;
            p["$end"].Value = (object?)row.EventEndTime ?? DBNull.Value;
            added += dryRun
                ? Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture)
                : await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        if (!dryRun)
        {
            await transaction.CommitAsync(ct).ConfigureAwait(false);
        }

        return added;
    }

    /// <summary>
    /// Upstream's <c>events</c> log (type, time, stream, description, details) into this database's <c>events</c>
    /// table, rows it lacks only; counted only on <paramref name="dryRun"/>. A snapshot without the table counts as empty.
    /// </summary>
    public async Task<TableImport> CopyEventsAsync(string snapshot, bool dryRun, CancellationToken ct)
    {
        await using var connection = await database.OpenSqliteAsync(ct).ConfigureAwait(false);
        await AttachAsync(connection, snapshot, ct).ConfigureAwait(false);
        try
        {
            if (await ScalarAsync(connection, "SELECT COUNT(*) FROM up.sqlite_master WHERE type = 'table' AND name = 'events'", ct)
                    .ConfigureAwait(false) == 0)
            {
                return new TableImport("events", 0, 0);
            }

            var found = await ScalarAsync(connection, "SELECT COUNT(*) FROM up.events", ct).ConfigureAwait(false);
            const string Fresh = "FROM up.events u WHERE NOT EXISTS (SELECT 1 FROM main.events m WHERE m.type = u.type AND " +
                "m.timestamp = u.timestamp AND m.stream_name = COALESCE(u.stream_name, '') AND " +
                "m.description = COALESCE(u.description, ''))";
            var added = await ScalarAsync(connection, "SELECT COUNT(*) " + Fresh, ct).ConfigureAwait(false);
            if (!dryRun && added > 0)
            {
                using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO main.events (type, timestamp, stream_name, description, details) " +
                    "SELECT u.type, u.timestamp, COALESCE(u.stream_name, ''), COALESCE(u.description, ''), COALESCE(u.details, '') " +
                    Fresh + " ORDER BY u.timestamp, u.id";
                await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            return new TableImport("events", found, added);
        }
        finally
        {
            await DetachAsync(connection).ConfigureAwait(false);
        }
    }

    private static double? NullableDouble(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);
}
