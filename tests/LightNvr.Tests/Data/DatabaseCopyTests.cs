using System.Data.Common;
using System.Globalization;
using System.Text;
using LightNvr.Data;
using LightNvr.Import;
using LightNvr.Testing;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Data;

/// <summary>
/// <c>lightnvr db migrate</c> (<see cref="DatabaseCopy"/>): SQLite → PostgreSQL → SQLite gives back every row of every
/// table unchanged (ids, NULLs, reals, non-ASCII text), the trigger-kept counts agree, PostgreSQL's identities continue
/// after the copied ids, a non-empty target is refused, and the command reports bad input clearly. PostgreSQL is the
/// test run's real server (<see cref="PostgresServer"/>).
/// </summary>
public sealed class DatabaseCopyTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TestClock _time = new();

    public void Dispose() => _folder.Dispose();

    private const string Seed = """
        INSERT INTO streams (id, name, url, enabled, detection_threshold, tags, recording_schedule) VALUES
            (1, 'porch', 'rtsp://u:p@10.0.0.2/1', 1, 0.35, 'outdoor', ''), (5, 'garage', 'rtsp://10.0.0.3/main', 0, 0.5, 'Ünïcode ✓', NULL);
        INSERT INTO users (id, username, password_hash, salt, role, email, is_active, api_key) VALUES
            (1, 'admin', 'h1', 's1', 0, 'a@example.org', 1, NULL), (7, 'viewer', 'h2', 's2', 2, '', 0, 'k');
        INSERT INTO sessions (id, user_id, token, created_at, expires_at, ip_address) VALUES (3, 7, 'tok', 100, 200, '192.0.2.1');
        INSERT INTO recordings (id, stream_name, file_path, start_time, end_time, size_bytes, is_complete, trigger_type, protected,
            retention_override_days) VALUES
            (10, 'porch', '/r/porch/1.mp4', 1000, 1060, 123456789012, 1, 'scheduled', 0, NULL),
            (11, 'porch', '/r/porch/2.mp4', 1060, 1120, 5, 1, 'motion', 1, 7),
            (12, 'garage', '/r/garage/1.mp4', 1000, NULL, 0, 0, 'scheduled', 0, NULL);
        INSERT INTO recording_tags (recording_id, tag, created_at) VALUES (10, 'car', 1), (11, 'car', 2), (12, 'car', 3), (11, 'dog', 4);
        INSERT INTO detections (id, stream_name, timestamp, label, confidence, x, y, width, height, recording_id) VALUES
            (1, 'porch', 1010, 'person', 0.875, 0.1, 0.2, 0.3, 0.4, 10), (2, 'porch', 1070, 'car', 0.5, NULL, NULL, NULL, NULL, NULL);
        INSERT INTO detection_events (id, stream_name, source, label, confidence, start_time, end_time, last_seen, recording_id) VALUES
            (4, 'porch', 'objects', 'person', 0.9, 1010, 1015, 1015, 10), (5, 'porch', 'motion', 'motion', 0, 1070, NULL, 1071, NULL);
        INSERT INTO events (id, type, timestamp, stream_name, description) VALUES (1, 3, 999, 'porch', 'started');
        INSERT INTO detection_zones (id, stream_name, name, polygon, min_confidence) VALUES ('z1', 'porch', 'drive', '[[0,0],[1,0],[1,1]]', 0.25);
        INSERT INTO system_settings (key, value, updated_at) VALUES ('theme', 'dark', 5), ('empty', NULL, 0);
        INSERT INTO storage_daily_stats (date, stream_name, tier, recording_count, total_bytes) VALUES ('2026-12-01', 'porch', 2, 2, 123456789017);
        INSERT INTO webhooks (id, name, url, secret, last_status) VALUES (2, 'ha', 'http://192.0.2.9/h', '0123456789abcdef', NULL);
        INSERT INTO webhook_deliveries (id, webhook_id, kind, body, next_attempt_ms, created_ms) VALUES (9, 2, 'event.start', '{"a":1}', 5, 4);
        """;

    [Fact]
    public async Task Sqlite_to_postgresql_and_back_keeps_every_row()
    {
        var source = new Database(_folder.File("source.db"));
        await source.MigrateAsync(_time);
        await ExecuteAsync(source, Seed);

        await using var postgres = Database.Postgresql(await PostgresServer.CreateDatabaseAsync());
        var progress = new StringWriter();
        var copied = await new DatabaseCopy(source, postgres, _time).RunAsync(progress);
        Assert.Equal(3, copied["recordings"]);
        Assert.Equal(4, copied["recording_tags"]);
        Assert.Contains("recordings: 3 rows", progress.ToString(), StringComparison.Ordinal);

        // The stores read the copy as they read the source: the tag list (trigger-kept counts) and a stream.
        var onPg = await new RecordingStore(postgres, _time).ListAsync(new RecordingQuery { Tags = ["car"] });
        var onSqlite = await new RecordingStore(source, _time).ListAsync(new RecordingQuery { Tags = ["car"] });
        Assert.Equal(2, onPg.Total);
        Assert.Equal(onSqlite.Items.Select(r => r.Id), onPg.Items.Select(r => r.Id));
        Assert.Equal(0.35, (await new StreamStore(postgres).GetAsync("porch"))!.DetectionThreshold);

        // New rows continue after the copied ids (an identity column does not advance on explicit ids).
        var next = await new StreamStore(postgres).InsertAsync(new StreamConfig { Name = "new", Url = "rtsp://10.0.0.4/" });
        Assert.Equal(6, next);
        Assert.True(await new StreamStore(postgres).DeleteAsync("new"));

        var back = new Database(_folder.File("back.db"));
        await new DatabaseCopy(postgres, back, _time).RunAsync(TextWriter.Null);
        foreach (var table in DatabaseCopy.Tables.Concat(DatabaseCopy.DerivedTables))
        {
            Assert.Equal(await DumpAsync(source, table), await DumpAsync(back, table));
        }
        Assert.Contains("Ünïcode ✓", await DumpAsync(back, "streams"), StringComparison.Ordinal);
        Assert.Contains("123456789012", await DumpAsync(back, "recordings"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_target_with_rows_is_refused_and_left_alone()
    {
        var source = new Database(_folder.File("source.db"));
        await source.MigrateAsync(_time);
        await ExecuteAsync(source, Seed);
        await using var postgres = Database.Postgresql(await PostgresServer.CreateDatabaseAsync());
        await postgres.MigrateAsync(_time);
        await ExecuteAsync(postgres, "INSERT INTO users (username, password_hash, salt) VALUES ('other', 'h', 's')");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => new DatabaseCopy(source, postgres, _time).RunAsync(TextWriter.Null));
        Assert.Contains("already has rows in 'users'", e.Message, StringComparison.Ordinal);
        Assert.Equal("", await DumpAsync(postgres, "recordings"));
    }

    [Fact]
    public async Task Command_copies_and_reports_bad_input_clearly()
    {
        var sourcePath = _folder.File("cmd.db");
        var source = new Database(sourcePath);
        await source.MigrateAsync(_time);
        await ExecuteAsync(source, Seed);
        var target = await PostgresServer.CreateDatabaseAsync();

        var (code, stdout, stderr) = await RunAsync("db", "migrate", "--from", "sqlite:" + sourcePath, "--to", "postgresql:" + target);
        Assert.True(code == 0, stderr);
        Assert.Contains("every table's row count matches the source", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", stdout, StringComparison.OrdinalIgnoreCase);

        (code, _, stderr) = await RunAsync("db", "migrate", "--from", "sqlite:" + sourcePath, "--to", "postgresql:" + target);
        Assert.Equal(1, code);
        Assert.Contains("already has rows", stderr, StringComparison.Ordinal);

        (code, _, stderr) = await RunAsync("db", "migrate", "--from", "sqlite:" + _folder.File("missing.db"), "--to", "sqlite:" + _folder.File("x.db"));
        Assert.Equal(1, code);
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);

        (code, _, stderr) = await RunAsync("db", "migrate", "--from", "mysql:x", "--to", "sqlite:y");
        Assert.Equal(2, code);
        Assert.Contains("expected sqlite:PATH or postgresql:CONNECTION", stderr, StringComparison.Ordinal);

        (code, _, stderr) = await RunAsync("db", "migrate", "--from", "sqlite:" + sourcePath, "--to", "postgresql:Host=127.0.0.1;Port=1;Timeout=2");
        Assert.Equal(1, code);
        Assert.StartsWith("lightnvr: db migrate failed:", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = await DatabaseMigrateCommand.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static async Task ExecuteAsync(Database db, string sql)
    {
        await using var connection = await db.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every row of a table as text, in key order, values formatted the same whatever the engine.</summary>
    private static async Task<string> DumpAsync(Database db, string table)
    {
        await using var connection = await db.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {table} ORDER BY 1, 2";
        using var reader = await command.ExecuteReaderAsync();
        var text = new StringBuilder();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).OrderBy(c => c, StringComparer.Ordinal).ToList();
        while (await reader.ReadAsync())
        {
            text.AppendJoin('|', columns.Select(c => Format(reader, reader.GetOrdinal(c)))).Append('\n');
        }
        return text.ToString();
    }

    private static string Format(DbDataReader reader, int i) => reader.GetValue(i) switch
    {
        DBNull => "NULL",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var v => v.ToString() ?? "",
    };
}
