using Microsoft.Data.Sqlite;

namespace LightNvr.Data;

/// <summary>
/// The SQL of <c>lightnvr import</c>: reads a snapshot of a database written by upstream LightNVR (never the live file)
/// and copies rows this database does not have yet, matched by their natural key, so a second import adds nothing.
/// Columns are the ones both files have (upstream's names are this schema's names, docs/data.md), row ids are this
/// file's own. Recordings are not copied here: their rows go through <c>Recording.RecordingFiles</c> (file before row).
/// </summary>
public sealed partial class UpstreamImportStore(Database database)
{
    /// <summary>Tables copied whole, in foreign-key order, each with the column that says "the same row".</summary>
    public static readonly IReadOnlyList<(string Table, string Key)> KeyedTables =
    [
        ("streams", "name"),
        ("users", "username"),
        ("detection_zones", "id"),
        ("motion_settings", "stream_name"),
    ];

    /// <summary>
    /// Upstream's <c>system_settings</c> keys (its migration 0030; reference "system_settings") that mean the same in
    /// this build's table: the first-run flag and its time (<c>Api/System/SetupEndpoints</c>). Copied when this
    /// database lacks them; a value already here wins.
    /// </summary>
    public static readonly IReadOnlyList<string> MappedSettings = ["setup_complete", "setup_completed_at"];

    /// <summary>Why a known upstream <c>system_settings</c> key is not brought over (any other key: not used here).</summary>
    public static readonly IReadOnlyDictionary<string, string> UnmappedSettingReasons = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["go2rtc_config_override"] = "no external go2rtc here, so its YAML is not applied (add its sources as streams, e.g. ffmpeg: urls, docs/restream.md)",
    };

    /// <summary>
    /// The snapshot's <c>system_settings</c>: the mapped keys this database lacks are counted and (unless
    /// <paramref name="dryRun"/>) inserted with upstream's value and time; every other key is returned by name with why
    /// it stays behind (values are never returned: an override YAML may hold camera passwords).
    /// </summary>
    public async Task<(TableImport Table, List<(string Key, string Why)> Unmapped)> CopySettingsAsync(string snapshot, bool dryRun,
        CancellationToken ct)
    {
        var unmapped = new List<(string, string)>();
        await using var connection = await database.OpenSqliteAsync(ct).ConfigureAwait(false);
        await AttachAsync(connection, snapshot, ct).ConfigureAwait(false);
        try
        {
            if (await ScalarAsync(connection, "SELECT COUNT(*) FROM up.sqlite_master WHERE type = 'table' AND name = 'system_settings'", ct)
                    .ConfigureAwait(false) == 0)
            {
                return (new TableImport("system_settings", 0, 0), unmapped);
            }

            var keys = new List<string>();
            using (var list = connection.CreateCommand())
            {
                list.CommandText = "SELECT key FROM up.system_settings WHERE key IS NOT NULL ORDER BY key";
                using var reader = await list.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    keys.Add(reader.GetString(0));
                }
            }

            var (found, added) = (0L, 0L);
            foreach (var key in keys)
            {
                if (!MappedSettings.Contains(key))
                {
                    unmapped.Add((key, UnmappedSettingReasons.GetValueOrDefault(key, "not used by this build")));
                    continue;
                }

                found++;
                using var missing = connection.CreateCommand();
                missing.CommandText = "SELECT COUNT(*) FROM main.system_settings WHERE key = $k";
                missing.Parameters.AddWithValue("$k", key);
                if (Convert.ToInt64(await missing.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) > 0)
                {
                    continue;
                }

                added++;
                if (!dryRun)
                {
                    using var insert = connection.CreateCommand();
                    insert.CommandText = "INSERT INTO main.system_settings (key, value, updated_at) " +
                        "SELECT key, COALESCE(value, ''), COALESCE(updated_at, strftime('%s', 'now')) FROM up.system_settings WHERE key = $k";
                    insert.Parameters.AddWithValue("$k", key);
                    await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
            }

            return (new TableImport("system_settings", found, added), unmapped);
        }
        finally
        {
            await DetachAsync(connection).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="destination"/> with SQLite's online backup, read-only on the
    /// source: a consistent snapshot even while upstream still runs, and nothing is ever written to upstream's file.
    /// </summary>
    public static async Task SnapshotAsync(string source, string destination, CancellationToken ct)
    {
        var from = new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        var to = new SqliteConnectionStringBuilder { DataSource = destination, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false };
        await using var src = new SqliteConnection(from.ToString());
        await using var dst = new SqliteConnection(to.ToString());
        await src.OpenAsync(ct).ConfigureAwait(false);
        await dst.OpenAsync(ct).ConfigureAwait(false);
        src.BackupDatabase(dst);
    }

    /// <summary>Upstream's highest migration in the snapshot, or null when the file is not upstream's.</summary>
    public static async Task<int?> UpstreamVersionAsync(string snapshot, CancellationToken ct)
    {
        await using var connection = OpenSnapshot(snapshot);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        return await Migrations.MigrationRunner.UpstreamVersionAsync(connection, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Rows of <paramref name="table"/> in the snapshot whose <paramref name="key"/> this database lacks: counted, and
    /// inserted unless <paramref name="dryRun"/>. A table the snapshot does not have counts as empty.
    /// </summary>
    public async Task<TableImport> CopyAsync(string snapshot, string table, string key, bool dryRun, CancellationToken ct)
    {
        if (!KeyedTables.Contains((table, key)))
        {
            throw new ArgumentException($"{table}.{key} is not an imported table", nameof(table));
        }

        await using var connection = await database.OpenSqliteAsync(ct).ConfigureAwait(false);
        await AttachAsync(connection, snapshot, ct).ConfigureAwait(false);
        try
        {
            var columns = await CommonColumnsAsync(connection, table, key, ct).ConfigureAwait(false);
            if (columns.Count == 0)
            {
                return new TableImport(table, 0, 0);
            }

            var found = await ScalarAsync(connection, $"SELECT COUNT(*) FROM up.{table}", ct).ConfigureAwait(false);
            var fresh = $"FROM up.{table} WHERE {key} NOT IN (SELECT {key} FROM main.{table})";
            var added = await ScalarAsync(connection, $"SELECT COUNT(*) {fresh}", ct).ConfigureAwait(false);
            if (!dryRun && added > 0)
            {
                var list = string.Join(", ", columns);
                using var insert = connection.CreateCommand();
                insert.CommandText = $"INSERT INTO main.{table} ({list}) SELECT {list} {fresh}";
                await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            return new TableImport(table, found, added);
        }
        finally
        {
            await DetachAsync(connection).ConfigureAwait(false);
        }
    }

    /// <summary>Every recording row of the snapshot, oldest first, with its tags.</summary>
    public static async Task<List<UpstreamRecording>> ReadRecordingsAsync(string snapshot, CancellationToken ct)
    {
        await using var connection = OpenSnapshot(snapshot);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        var hasTags = await ScalarAsync(connection,
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'recording_tags'", ct).ConfigureAwait(false) > 0;
        using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT r.stream_name, r.file_path, r.start_time, r.end_time, r.size_bytes, r.width, r.height, r.fps, r.codec, " +
            "r.is_complete, r.trigger_type, r.protected, r.retention_override_days, " +
            (hasTags ? "(SELECT group_concat(tag, char(10)) FROM recording_tags t WHERE t.recording_id = r.id)" : "NULL") +
            " AS tags FROM recordings r ORDER BY r.start_time, r.id";
        var rows = new List<UpstreamRecording>();
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var r = new RowReader(reader);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(new UpstreamRecording(
                r.Text("stream_name"), r.Text("file_path"), r.Long("start_time"), r.NullableLong("end_time"),
                r.Long("size_bytes"), r.Int("width"), r.Int("height"), r.Int("fps"), r.Text("codec"), r.Int("is_complete") != 0,
                r.Text("trigger_type") is { Length: > 0 } t ? t : "scheduled", r.Int("protected") != 0,
                r.NullableLong("retention_override_days") is { } d ? (int)d : null,
                r.Text("tags") is { Length: > 0 } tags ? tags.Split('\n') : []));
        }

        return rows;
    }

    /// <summary>The file paths of this database's recordings (an import skips those it already has).</summary>
    public async Task<HashSet<string>> RecordingPathsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenSqliteAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT file_path FROM recordings";
        var paths = new HashSet<string>(StringComparer.Ordinal);
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            paths.Add(reader.GetString(0));
        }

        return paths;
    }

    private static SqliteConnection OpenSnapshot(string snapshot) =>
        new(new SqliteConnectionStringBuilder { DataSource = snapshot, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());

    private static async Task AttachAsync(SqliteConnection connection, string snapshot, CancellationToken ct)
    {
        using var attach = connection.CreateCommand();
        attach.CommandText = "ATTACH DATABASE $path AS up";
        attach.Parameters.AddWithValue("$path", snapshot);
        await attach.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task DetachAsync(SqliteConnection connection)
    {
        using var detach = connection.CreateCommand();
        detach.CommandText = "DETACH DATABASE up";
        await detach.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Columns of a keyed table that are not copied as they are: upstream's <c>users.api_key</c> is the key in clear,
    /// this column holds its SHA-256 (UpstreamImportStore.History.cs brings it over hashed).
    /// </summary>
    private static readonly HashSet<(string Table, string Column)> NotCopied = [("users", "\"api_key\"")];

    /// <summary>Columns both tables have; the integer row id stays this file's own unless it is the key.</summary>
    private static async Task<List<string>> CommonColumnsAsync(SqliteConnection connection, string table, string key, CancellationToken ct)
    {
        using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT u.name FROM pragma_table_info($t, 'up') u JOIN pragma_table_info($t, 'main') m ON m.name = u.name " +
            "WHERE u.name <> 'id' OR $key = 'id' ORDER BY u.cid";
        command.Parameters.AddWithValue("$t", table);
        command.Parameters.AddWithValue("$key", key);
        var columns = new List<string>();
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            if (!NotCopied.Contains((table, Quote(reader.GetString(0)))))
            {
                columns.Add(Quote(reader.GetString(0)));
            }
        }

        return columns;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }
}
