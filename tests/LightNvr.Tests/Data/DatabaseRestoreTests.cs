using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using LightNvr.Data;
using LightNvr.Import;
using LightNvr.Testing;
using LightNvr.Tests.Support;
using Microsoft.Data.Sqlite;

namespace LightNvr.Tests.Data;

/// <summary>
/// Restore through the API and the command line (issue 17 item 7): a backup downloaded from the admin API, uploaded to
/// <c>POST /api/system/restore</c> (raw body and multipart), is checked and staged, and the next start of the server
/// swaps it in (the rows of the backup, integrity ok, the replaced files kept); files that are no usable backup are
/// refused with 400 and a reason (not SQLite, damaged, upstream's schema, a newer schema) and change nothing; a staged
/// file damaged before the restart is rejected at start and the current database kept; <c>lightnvr db restore</c>
/// stages the same way.
/// </summary>
public sealed class DatabaseRestoreTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Fact]
    public async Task An_uploaded_backup_is_checked_staged_and_swapped_in_at_the_next_start()
    {
        var live = Path.Combine(_folder.File("server"), "lightnvr.db");
        byte[] backup;
        await using (var host = await StartAsync(live))
        {
            using var admin = await host.SessionClientAsync();
            await CreateStreamAsync(admin, "porch");
            await CreateStreamAsync(admin, "garage");
            using (var download = await admin.PostAsync("/api/system/backup", null))
            {
                Assert.Equal(HttpStatusCode.OK, download.StatusCode);
                backup = await download.Content.ReadAsByteArrayAsync();
            }
            await CreateStreamAsync(admin, "later"); // after the backup: gone once it is restored

            // Refusals: nothing is staged by any of them.
            await AssertRefusedAsync(admin, "hello, not a database"u8.ToArray(), "not a SQLite database");
            await AssertRefusedAsync(admin, Damaged(backup), "integrity_check");
            await AssertRefusedAsync(admin, await WithSchemaVersionAsync(backup, 999), "newer LightNVR");
            await AssertRefusedAsync(admin, await UpstreamLikeAsync(), "lightnvr import");
            Assert.False(File.Exists(DatabaseRestore.PendingPathFor(live)));
            Assert.Equal("{\"pending\":false}", await admin.GetStringAsync("/api/system/restore"));

            // Multipart (a browser's file input), as staged: the reply says what the backup holds.
            using var form = new MultipartFormDataContent();
            var part = new ByteArrayContent(backup);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.sqlite3");
            form.Add(part, "file", "lightnvr-backup.db");
            using var staged = await admin.PostAsync("/api/system/restore", form);
            var reply = JsonNode.Parse(await staged.Content.ReadAsStringAsync())!;
            Assert.True(staged.StatusCode == HttpStatusCode.Accepted, reply.ToJsonString());
            Assert.Equal(2, (int)reply["streams"]!);
            Assert.Equal(1, (int)reply["users"]!);
            Assert.False((bool)reply["restarting"]!);
            Assert.Equal(backup.Length, (long)reply["size_bytes"]!);
            Assert.True((bool)JsonNode.Parse(await admin.GetStringAsync("/api/system/restore"))!["pending"]!);

            // Still the live database until the restart.
            Assert.Equal(["garage", "later", "porch"], await StreamNamesAsync(live));
        }

        await using (var restarted = await StartAsync(live))
        {
            using var admin = await restarted.SessionClientAsync(); // the admin of the backup logs in
            var list = await admin.GetStringAsync("/api/streams");
            Assert.Contains("\"porch\"", list, StringComparison.Ordinal);
            Assert.DoesNotContain("\"later\"", list, StringComparison.Ordinal);
            Assert.Equal("{\"pending\":false}", await admin.GetStringAsync("/api/system/restore"));
        }

        Assert.Equal("ok", await DatabaseBackup.CheckFileAsync(live));
        Assert.Equal(["garage", "porch"], await StreamNamesAsync(live));
        var kept = Assert.Single(Directory.GetDirectories(Path.Combine(Path.GetDirectoryName(live)!, "backups"), "before-restore-*"));
        Assert.Equal(["garage", "later", "porch"], await StreamNamesAsync(Path.Combine(kept, "lightnvr.db"))); // nothing lost
    }

    [Fact]
    public async Task A_staged_file_damaged_before_the_restart_is_rejected_and_the_database_kept()
    {
        var live = Path.Combine(_folder.File("server"), "lightnvr.db");
        await using (var host = await StartAsync(live))
        {
            using var admin = await host.SessionClientAsync();
            await CreateStreamAsync(admin, "porch");
            byte[] backup;
            using (var download = await admin.PostAsync("/api/system/backup", null))
            {
                backup = await download.Content.ReadAsByteArrayAsync();
            }
            using var staged = await admin.PostAsync("/api/system/restore", new ByteArrayContent(backup));
            Assert.Equal(HttpStatusCode.Accepted, staged.StatusCode);
            await File.WriteAllBytesAsync(DatabaseRestore.PendingPathFor(live), Damaged(backup));
            await CreateStreamAsync(admin, "garage");
        }

        await using (var restarted = await StartAsync(live))
        {
            using var admin = await restarted.SessionClientAsync();
            Assert.Contains("\"garage\"", await admin.GetStringAsync("/api/streams"), StringComparison.Ordinal);
        }

        var backups = Path.Combine(Path.GetDirectoryName(live)!, "backups");
        Assert.Single(Directory.GetFiles(backups, "restore-rejected-*.db"));
        Assert.False(File.Exists(DatabaseRestore.PendingPathFor(live)));
        Assert.Empty(Directory.GetDirectories(backups, "before-restore-*"));
    }

    [Fact]
    public async Task The_command_stages_a_backup_and_refuses_a_bad_one()
    {
        var data = _folder.File("box");
        Directory.CreateDirectory(data);
        var ini = Path.Combine(data, "lightnvr.ini");
        var live = Path.Combine(data, "lightnvr.db");
        await File.WriteAllTextAsync(ini, $"[database]\npath = {live}\n[web]\nroot = {Path.Combine(data, "www")}\n");
        var db = new Database(live);
        await db.MigrateAsync(TimeProvider.System);
        Assert.NotNull(await new StreamStore(db).InsertAsync(new StreamConfig { Name = "cam", Url = "rtsp://127.0.0.1/x" }));
        var backup = Path.Combine(data, "copy.db");
        await new DatabaseBackup(db, new LightNvr.Config.ConfigSnapshots(new LightNvr.Config.LightNvrConfig())).BackupToAsync(backup);
        SqliteConnection.ClearAllPools();

        var garbage = Path.Combine(data, "garbage.db");
        await File.WriteAllTextAsync(garbage, "not a database");
        var (code, _, error) = await RunAsync(["-c", ini, "db", "restore", garbage]);
        Assert.Equal(1, code);
        Assert.Contains("not a SQLite database", error, StringComparison.Ordinal);
        Assert.Equal(2, (await RunAsync(["db", "restore"])).Code);

        (code, var output, error) = await RunAsync(["-c", ini, "db", "restore", backup]);
        Assert.True(code == 0, error);
        Assert.Contains("1 streams", output, StringComparison.Ordinal);
        Assert.True(File.Exists(DatabaseRestore.PendingPathFor(live)));

        var outcome = await DatabaseRestore.ApplyPendingAsync(live, new TestClock());
        Assert.True(outcome!.Applied);
        Assert.Equal(1, outcome.Check!.Streams);
        Assert.Equal("ok", await DatabaseBackup.CheckFileAsync(live));
        Assert.Null(await DatabaseRestore.ApplyPendingAsync(live, new TestClock())); // applied once
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args)
    {
        Assert.True(DatabaseRestoreCommand.IsRestore(args) || args.Length < 3);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await DatabaseRestoreCommand.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static Task<TestServerHost> StartAsync(string databasePath) =>
        TestServerHost.StartAsync(full: true, configure: c => c with { Database = c.Database with { Path = databasePath } });

    private static async Task CreateStreamAsync(HttpClient admin, string name)
    {
        using var created = await admin.PostAsync("/api/streams", TestServerHost.Json(
            $$"""{"name":"{{name}}","url":"rtsp://127.0.0.1:1/{{name}}","enabled":false}"""));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
    }

    private static async Task AssertRefusedAsync(HttpClient admin, byte[] body, string reason)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var refused = await admin.PostAsync("/api/system/restore", content);
        var text = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{refused.StatusCode}: {text}");
        Assert.Contains(reason, text, StringComparison.Ordinal);
    }

    /// <summary>Garbage inside every page but the first (the schema stays readable, the b-trees do not).</summary>
    private static byte[] Damaged(byte[] backup)
    {
        var bytes = (byte[])backup.Clone();
        for (var i = 4096 + 100; i < bytes.Length; i += 4096)
        {
            Array.Fill(bytes, (byte)0xA5, i, 200);
        }
        return bytes;
    }

    private async Task<byte[]> WithSchemaVersionAsync(byte[] backup, int version)
    {
        var path = _folder.File("newer-" + Guid.NewGuid().ToString("N") + ".db");
        await File.WriteAllBytesAsync(path, backup);
        await ExecuteAsync(path, $"INSERT INTO schema_migrations (version, name, applied_at) VALUES ({version}, 'future', 0)");
        return await File.ReadAllBytesAsync(path);
    }

    /// <summary>A file with upstream's tracking table (no name column) and its tables, as upstream's 0046 has them.</summary>
    private async Task<byte[]> UpstreamLikeAsync()
    {
        var path = _folder.File("upstream-" + Guid.NewGuid().ToString("N") + ".db");
        await ExecuteAsync(path, "CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at INTEGER);" +
            "INSERT INTO schema_migrations VALUES ('0046', 0); CREATE TABLE streams (name TEXT);");
        return await File.ReadAllBytesAsync(path);
    }

    private static async Task ExecuteAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string[]> StreamNamesAsync(string path)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false,
        }.ToString());
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM streams ORDER BY name";
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }
        return [.. names];
    }
}
