using System.Net;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Testing;
using LightNvr.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Data;

/// <summary>
/// Issue 17 item 7: verified online backups (a single-file copy that passes integrity_check and holds the same rows),
/// the periodic schedule with its kept count and post-backup script, the web-root refusal, the admin download, and the
/// restore procedure of docs/operations.md (replace the file, start the server, same rows).
/// </summary>
public sealed class DatabaseBackupTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private readonly TestClock _time = new();
    private LightNvrConfig _config = null!;
    private Database _db = null!;

    public async Task InitializeAsync()
    {
        _config = new LightNvrConfig
        {
            Database = new DatabaseOptions { Path = _folder.File("data/lightnvr.db") },
            Web = new WebOptions { Root = _folder.File("www") },
        };
        _db = new Database(_config.Database.Path);
        await _db.MigrateAsync(_time);
        var streams = new StreamStore(_db);
        for (var i = 0; i < 3; i++)
        {
            Assert.NotNull(await streams.InsertAsync(new StreamConfig { Name = "cam" + i, Url = $"rtsp://127.0.0.1/{i}" }));
        }
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
        return Task.CompletedTask;
    }

    private DatabaseBackup Backup() => new(_db, new ConfigSnapshots(_config));

    [Fact]
    public async Task A_backup_is_one_checked_file_with_the_same_rows()
    {
        var backup = Backup();
        var target = Path.Combine(backup.Folder, "one.db");
        await backup.BackupToAsync(target);

        Assert.Equal(Path.Combine(_folder.File("data"), "backups"), backup.Folder);
        Assert.Equal("ok", await DatabaseBackup.CheckFileAsync(target));
        Assert.False(File.Exists(target + ".tmp"));
        Assert.False(File.Exists(target + "-wal")); // journal_mode=delete: the copy needs nothing beside it
        Assert.Equal(await StreamNamesAsync(_config.Database.Path), await StreamNamesAsync(target));
        Assert.Equal(["cam0", "cam1", "cam2"], await StreamNamesAsync(target));
    }

    [Fact]
    public async Task A_damaged_file_fails_the_check()
    {
        var backup = Backup();
        var target = Path.Combine(backup.Folder, "damaged.db");
        await backup.BackupToAsync(target);
        var bytes = await File.ReadAllBytesAsync(target);
        for (var i = 4096 + 100; i < bytes.Length; i += 4096)
        {
            Array.Fill(bytes, (byte)0xA5, i, 200); // garbage inside every page but the first (schema stays readable)
        }
        await File.WriteAllBytesAsync(target, bytes);
        var result = await CheckOrErrorAsync(target);
        Assert.NotEqual("ok", result);
    }

    [Fact]
    public async Task A_destination_inside_the_web_root_is_refused()
    {
        var backup = Backup();
        var error = await Assert.ThrowsAsync<IOException>(() => backup.BackupToAsync(Path.Combine(_config.Web.Root, "backups", "x.db")));
        Assert.Contains("web root", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_config.Web.Root, "backups")));
    }

    [Fact]
    public async Task The_schedule_keeps_the_newest_n_and_runs_the_post_backup_script()
    {
        var marker = _folder.File("script-saw.txt");
        var script = _folder.File("post-backup.sh");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\necho \"$1\" >> '{marker}'\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var snapshots = new ConfigSnapshots(_config with
        {
            Database = _config.Database with { BackupIntervalMinutes = 60, BackupRetentionCount = 2, PostBackupScript = script },
        });
        var service = new DatabaseBackupService(new DatabaseBackup(_db, snapshots), snapshots, _time, NullLogger<DatabaseBackupService>.Instance);

        for (var i = 0; i < 3; i++)
        {
            await service.RunIfDueAsync(CancellationToken.None);
            await service.RunIfDueAsync(CancellationToken.None); // not due again until an interval has passed
            _time.Advance(TimeSpan.FromMinutes(60));
        }

        Assert.Equal(3, service.Completed);
        var kept = service.Backups().Select(f => Path.GetFileName(f)).ToArray();
        Assert.Equal(["lightnvr-20260101-130000.db", "lightnvr-20260101-140000.db"], kept);
        Assert.All(service.Backups(), f => Assert.Equal("ok", DatabaseBackup.CheckFileAsync(f).GetAwaiter().GetResult()));
        var seen = await File.ReadAllLinesAsync(marker);
        Assert.Equal(3, seen.Length);
        Assert.EndsWith("lightnvr-20260101-140000.db", seen[^1], StringComparison.Ordinal);

        snapshots.Publish(snapshots.Current with { Database = snapshots.Current.Database with { BackupIntervalMinutes = 0 } }); // off: nothing more, however long
        _time.Advance(TimeSpan.FromDays(2));
        await service.RunIfDueAsync(CancellationToken.None);
        Assert.Equal(3, service.Completed);
    }

    [Fact]
    public async Task The_admin_download_is_a_consistent_copy_and_restoring_it_brings_the_rows_back()
    {
        var dataFolder = _folder.File("server");
        string downloaded;
        string[] before;
        await using (var host = await TestServerHost.StartAsync(full: true, configure: c => c with { Database = c.Database with { Path = Path.Combine(dataFolder, "lightnvr.db") } }))
        {
            using var admin = await host.SessionClientAsync();
            foreach (var name in new[] { "porch", "garage" })
            {
                using var created = await admin.PostAsync("/api/streams", TestServerHost.Json(
                    $$"""{"name":"{{name}}","url":"rtsp://127.0.0.1:1/{{name}}","enabled":false}"""));
                Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            }
            before = await StreamNamesAsync(host.Config.Database.Path);

            using var viewerDenied = await host.Client().PostAsync("/api/system/backup", null);
            Assert.Equal(HttpStatusCode.Unauthorized, viewerDenied.StatusCode);
            using var response = await admin.PostAsync("/api/system/backup", null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/vnd.sqlite3", response.Content.Headers.ContentType?.MediaType);
            Assert.Matches(@"^lightnvr-backup-\d{8}-\d{6}\.db$", response.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? "");
            downloaded = _folder.File("downloaded.db");
            await File.WriteAllBytesAsync(downloaded, await response.Content.ReadAsByteArrayAsync());
            Assert.Empty(Directory.EnumerateFiles(Path.Combine(dataFolder, "backups"))); // nothing left behind
        }

        // Restore as docs/operations.md says: server stopped, file replaced (-wal/-shm removed), server started.
        Assert.Equal("ok", await DatabaseBackup.CheckFileAsync(downloaded));
        SqliteConnection.ClearAllPools();
        var live = Path.Combine(dataFolder, "lightnvr.db");
        File.Delete(live + "-wal");
        File.Delete(live + "-shm");
        File.Copy(downloaded, live, overwrite: true);
        await using (var restored = await TestServerHost.StartAsync(full: true, configure: c => c with { Database = c.Database with { Path = live } }))
        {
            using var admin = await restored.SessionClientAsync();
            var list = await admin.GetStringAsync("/api/streams");
            Assert.Contains("\"porch\"", list, StringComparison.Ordinal);
            Assert.Contains("\"garage\"", list, StringComparison.Ordinal);
            Assert.Equal(before, await StreamNamesAsync(live));
        }
    }

    private static async Task<string> CheckOrErrorAsync(string path)
    {
        try
        {
            return await DatabaseBackup.CheckFileAsync(path);
        }
        catch (SqliteException e)
        {
            return e.Message; // "database disk image is malformed" is also a failed check
        }
    }

    /// <summary>The stream names of a database file, read with a connection of the test's own.</summary>
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
