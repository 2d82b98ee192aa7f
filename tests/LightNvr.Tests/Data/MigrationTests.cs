using LightNvr.Data;
using LightNvr.Data.Migrations;
using LightNvr.Testing;
using LightNvr.Tests.Support;
using Microsoft.Data.Sqlite;

namespace LightNvr.Tests.Data;

public sealed class MigrationTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TestClock _time = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Fresh_database_gets_every_table_and_version()
    {
        var db = new Database(_folder.File("sub/fresh.db"));
        var result = await db.MigrateAsync(_time);

        Assert.Equal(0, result.FromVersion);
        Assert.Equal(MigrationCatalog.All.Max(m => m.Version), result.ToVersion);
        await using var c = await db.OpenSqliteAsync();
        foreach (var (table, _) in SchemaTables.All)
        {
            Assert.NotEmpty(await TableShape.ReadAsync(c, null, "main", table, default));
        }
        Assert.Equal("wal", await ScalarAsync(c, "PRAGMA journal_mode"));
        Assert.Equal(1L, await ScalarAsync(c, "PRAGMA foreign_keys"));
        Assert.Equal(1L, await ScalarAsync(c, "PRAGMA synchronous")); // NORMAL
        var columns = (await TableShape.ReadAsync(c, null, "main", "recordings", default)).Select(x => x.Name).ToList();
        Assert.Contains("size_bytes", columns);
        Assert.Contains("retention_override_days", columns);
        var indexes = await ScalarAsync(c, "SELECT group_concat(name) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'recordings'");
        Assert.Contains("idx_recordings_stream_start", (string)indexes!, StringComparison.Ordinal);
        Assert.Contains("idx_recordings_complete_stream_start", (string)indexes!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Second_start_applies_nothing()
    {
        var db = new Database(_folder.File("again.db"));
        await db.MigrateAsync(_time);
        var second = await db.MigrateAsync(_time);
        Assert.Empty(second.Applied);
    }

    [Fact]
    public async Task Seed_era_database_upgrades_in_place_and_keeps_data()
    {
        var path = _folder.File("seed.db");
        await using (var c = new SqliteConnection($"Data Source={path}"))
        {
            await c.OpenAsync();
            await ExecuteAsync(c, SeedSchema.Sql);
        }
        SqliteConnection.ClearAllPools();

        var db = new Database(path);
        var result = await db.MigrateAsync(_time);
        Assert.Equal(0, result.FromVersion);
        Assert.Equal(MigrationCatalog.All.Select(m => m.Version), result.Applied);

        var streams = new StreamStore(db);
        var cam = await streams.GetAsync("front");
        Assert.NotNull(cam);
        Assert.Equal("rtsp://10.0.0.2/live", cam.Url);
        Assert.Equal(1, cam.Protocol); // 'udp' → 1
        Assert.True(cam.IsOnvif);      // onvif_enabled → is_onvif
        Assert.Equal(7, cam.RetentionDays);
        Assert.Equal(1920, cam.Width);
        Assert.Equal("", cam.SubStreamUrl); // new column with its default

        var recordings = new RecordingStore(db, _time);
        var rec = await recordings.GetAsync(1);
        Assert.NotNull(rec);
        Assert.Equal(123456, rec.SizeBytes); // size → size_bytes
        Assert.True(rec.IsComplete);
        Assert.Equal("detection", rec.TriggerType);
        Assert.Equal(1, (await recordings.ListAsync(new RecordingQuery { StreamName = "front" })).Total);

        var users = new UserStore(db, _time);
        var admin = await users.GetByUsernameAsync("boss");
        Assert.Equal(Role.Admin, admin!.Role);
        Assert.Equal(Role.Viewer, (await users.GetByUsernameAsync("guest"))!.Role);
        Assert.True(admin.IsActive);

        await using var conn = await db.OpenSqliteAsync();
        Assert.Equal("Driveway", await ScalarAsync(conn, "SELECT name FROM detection_zones WHERE id = '1'"));
        Assert.Equal("[{\"x\":0.1,\"y\":0.2}]", await ScalarAsync(conn, "SELECT polygon FROM detection_zones WHERE id = '1'"));
        Assert.Equal(0L, await ScalarAsync(conn, "SELECT COUNT(*) FROM sessions"));

        // The upgraded file takes new rows through the stores like a fresh one.
        Assert.NotNull(await streams.InsertAsync(new StreamConfig { Name = "back", Url = "rtsp://h/x" }));
        Assert.True(await recordings.InsertOpenAsync(new RecordingRecord
        {
            StreamName = "back", FilePath = "/r/b.mp4", StartTime = _time.GetUtcNow(),
        }) > 1);
    }

    [Fact]
    public async Task Newer_schema_refuses_to_start()
    {
        var db = new Database(_folder.File("newer.db"));
        await db.MigrateAsync(_time);
        await using (var c = await db.OpenSqliteAsync())
        {
            await ExecuteAsync(c, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)");
        }

        var e = await Assert.ThrowsAsync<SchemaTooNewException>(() => db.MigrateAsync(_time));
        Assert.Equal(999, e.DatabaseVersion);
        Assert.Contains("newer", e.Message, StringComparison.Ordinal);
        Assert.Contains("newer.db", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Newer_schema_stops_the_host()
    {
        await using var host = await TestServerHost.StartAsync();
        var path = host.Config.Database.Path;
        await using (var c = await host.Service<Database>().OpenSqliteAsync())
        {
            await ExecuteAsync(c, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)");
        }
        await Assert.ThrowsAsync<SchemaTooNewException>(() =>
            TestServerHost.StartAsync(config => config with { Database = config.Database with { Path = path } }));
    }

    private static async Task ExecuteAsync(SqliteConnection c, string sql)
    {
        using var command = c.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(SqliteConnection c, string sql)
    {
        using var command = c.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
