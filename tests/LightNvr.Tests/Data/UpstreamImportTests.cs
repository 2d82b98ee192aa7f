using LightNvr.Auth;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Import;
using LightNvr.Testing;
using Microsoft.Data.Sqlite;

namespace LightNvr.Tests.Data;

/// <summary>
/// <c>lightnvr import</c> against a database made with upstream LightNVR's schema after its migration 0046
/// (Fixtures/upstream-0046.sql, written from the reference's column table, with sample rows and recording files).
/// </summary>
public sealed class UpstreamImportTests : IDisposable
{
    private readonly TempFolder _dir = new("import");
    private readonly string _upstream;
    private readonly string _recordings;
    private LightNvrConfig _config;

    public UpstreamImportTests()
    {
        _recordings = Path.Combine(_dir.Path, "upstream-recordings");
        _upstream = _dir.File("upstream.db");
        CreateUpstream(_upstream, _recordings);
        foreach (var name in new[] { "front_door/2026/11/30/front_door_20261130_100000.mp4",
                     "front_door/2026/11/30/front_door_20261130_101500.mp4", "garage/2026/11/30/garage_20261130_100000.mp4" })
        {
            var file = Path.Combine(_recordings, name);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, new byte[1000 + name.Length]); // garage_gone.mp4 stays missing
        }

        _config = new LightNvrConfig
        {
            Database = new DatabaseOptions { Path = _dir.File("lightnvr.db") },
            // the usual move: keep the recordings folder where it is
            Storage = new StorageOptions { Path = _recordings, Mp4Path = Path.Combine(_recordings, "mp4") },
        };
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_dry_run_reports_what_it_would_do_and_writes_nothing()
    {
        var report = await ImportCommand.ImportAsync(_config, new ImportRequest(_upstream, [], DryRun: true), TextWriter.Null, default);

        Assert.Equal(46, report.UpstreamVersion);
        Assert.Equal([("streams", 2L, 2L), ("users", 2L, 2L), ("detection_zones", 1L, 1L), ("motion_settings", 1L, 1L),
                ("api keys", 1L, 1L), ("system_settings", 2L, 2L), ("detections", 3L, 3L), ("events", 2L, 2L)],
            report.Tables.Select(t => (t.Table, t.Found, t.Added)));
        Assert.DoesNotContain("upstream-admin-api-key", report.Format(), StringComparison.Ordinal);
        Assert.Equal("go2rtc_config_override", Assert.Single(report.UnmappedSettings).Key);
        var text = report.Format();
        Assert.Contains("system_settings go2rtc_config_override: not imported, no external go2rtc here", text, StringComparison.Ordinal);
        Assert.DoesNotContain("override-secret", text, StringComparison.Ordinal); // names only, never values
        Assert.Equal((4, 3, 0, 1), (report.RecordingsFound, report.RecordingsAdded, report.RecordingsAlreadyHere, report.MissingFiles));
        Assert.EndsWith("garage_gone.mp4", Assert.Single(report.MissingExamples), StringComparison.Ordinal);
        Assert.Contains("would add 2", report.Format(), StringComparison.Ordinal);

        var database = new Database(_config.Database.Path);
        Assert.Empty(await new StreamStore(database).ListAsync());
        Assert.Null(await new SettingsStore(database, TimeProvider.System).GetAsync("setup_complete"));
        Assert.Empty(await new RecordingStore(database, TimeProvider.System).ListOverlappingAsync("front_door",
            DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue, 100));
        Assert.Empty(await QueryAsync("SELECT id FROM detections UNION ALL SELECT id FROM events"));
    }

    [Fact]
    public async Task Import_brings_streams_users_zones_and_recordings_and_a_second_run_adds_nothing()
    {
        var report = await ImportCommand.ImportAsync(_config, new ImportRequest(_upstream, [], DryRun: false), TextWriter.Null, default);
        Assert.Equal(3, report.RecordingsAdded);

        var database = new Database(_config.Database.Path);
        var front = (await new StreamStore(database).GetAsync("front_door"))!;
        Assert.Equal("rtsp://cam:secret@192.0.2.10:554/sub", front.SubStreamUrl);
        Assert.Equal("outdoor,entry", front.Tags);
        Assert.Equal(("motion", 5, 14), (front.DetectionModel, front.PreDetectionBuffer, front.RetentionDays));
        Assert.False((await new StreamStore(database).GetAsync("garage"))!.Record);

        var users = new UserStore(database, TimeProvider.System);
        var kitchen = (await users.GetByUsernameAsync("kitchen"))!;
        Assert.Equal((Role.Viewer, "outdoor"), (kitchen.Role, kitchen.AllowedTags));
        var hasher = new PasswordHasher(new PasswordHashingOptions { Iterations = 10 });
        Assert.True(hasher.Verify("viewer-pass", kitchen.PasswordHash, kitchen.Salt, out var rehash));
        Assert.True(rehash); // upstream's hash: rewritten in this build's format at the next sign-in

        var zone = Assert.Single(await new ZoneStore(database, TimeProvider.System).ListAsync("front_door"));
        Assert.Equal(("zone_front_1", "Path", "person", 4), (zone.Id, zone.Name, zone.FilterClasses, zone.Polygon.Count));
        Assert.Equal((0.7, 8), ((await new MotionSettingsStore(database).GetAsync("front_door")).Sensitivity,
            (await new MotionSettingsStore(database).GetAsync("front_door")).CooldownSeconds));

        var store = new RecordingStore(database, TimeProvider.System);
        var rows = await store.ListOverlappingAsync("front_door", DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue, 100);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.True(r.IsComplete && r.SizeBytes == new FileInfo(r.FilePath).Length));
        var motion = rows.Single(r => r.TriggerType == "motion");
        Assert.True(motion.Protected);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1796033704), motion.EndTime);
        Assert.Equal(["checked", "delivery"], (await new RecordingTagStore(database, TimeProvider.System).GetAsync(motion.Id)).Order());

        // The first-run flags come over (the setup page then counts the box as set up, as upstream did).
        var settings = new SettingsStore(database, TimeProvider.System);
        Assert.Equal(("1", "1700000000"), (await settings.GetAsync("setup_complete"), await settings.GetAsync("setup_completed_at")));
        Assert.Null(await settings.GetAsync("go2rtc_config_override"));

        // API keys: the upstream key signs in as before, and only its hash is stored (upstream kept it in clear).
        const string ApiKey = "upstream-admin-api-key-0123456789abcdef";
        Assert.Equal("admin", (await users.GetByApiKeyHashAsync(SecretTokens.Hash(ApiKey)))?.Username);
        Assert.Empty(await QueryAsync($"SELECT id FROM users WHERE api_key = '{ApiKey}'"));
        Assert.Null(kitchen.ApiKeyHash);

        // Detections: linked to the imported recording of their file; the one whose recording file was missing keeps
        // no link; the external motion interval keeps its source and end. Upstream's events log comes over as it was.
        Assert.Equal([$"front_door|1796033600|motion|onvif|1796033630|", $"front_door|1796033701|person|||{motion.Id}",
                "garage|1796030100|car|||"],
            await QueryAsync("SELECT stream_name || '|' || timestamp || '|' || label || '|' || source || '|' || " +
                "COALESCE(event_end_time, '') || '|' || COALESCE(recording_id, '') FROM detections ORDER BY stream_name, timestamp"));
        Assert.Equal(["2|front_door|Stream connected", "0|front_door|Recording started"],
            await QueryAsync("SELECT type || '|' || stream_name || '|' || description FROM events ORDER BY timestamp"));

        var again = await ImportCommand.ImportAsync(_config, new ImportRequest(_upstream, [], DryRun: false), TextWriter.Null, default);
        Assert.All(again.Tables, t => Assert.Equal(0, t.Added));
        Assert.Equal((0, 3), (again.RecordingsAdded, again.RecordingsAlreadyHere));
        Assert.Equal(2, (await store.ListOverlappingAsync("front_door", DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue, 100)).Count);
        Assert.Equal(3, (await QueryAsync("SELECT id FROM detections")).Count); // detections and events: not twice
        Assert.Equal(2, (await QueryAsync("SELECT id FROM events")).Count);
    }

    /// <summary>One text column of every row of a query on the imported database.</summary>
    private async Task<List<string>> QueryAsync(string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = _config.Database.Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false,
        }.ToString());
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }
        return rows;
    }

    [Fact]
    public async Task A_setting_already_here_is_kept()
    {
        var database = new Database(_config.Database.Path);
        await database.MigrateAsync(TimeProvider.System);
        var settings = new SettingsStore(database, TimeProvider.System);
        await settings.SetAsync("setup_complete", "0");

        var report = await ImportCommand.ImportAsync(_config, new ImportRequest(_upstream, [], DryRun: false), TextWriter.Null, default);
        var row = report.Tables.Single(t => t.Table == "system_settings");
        Assert.Equal((2L, 1L, 1L), (row.Found, row.Added, row.AlreadyHere));
        Assert.Equal(("0", "1700000000"), (await settings.GetAsync("setup_complete"), await settings.GetAsync("setup_completed_at")));
    }

    [Fact]
    public async Task A_moved_recordings_folder_is_found_through_a_path_map()
    {
        var moved = Path.Combine(_dir.Path, "moved");
        Directory.Move(_recordings, moved);
        _config = _config with { Storage = _config.Storage with { Path = moved } };
        var map = PathMap.Parse($"{_recordings}={moved}", out var error);
        Assert.NotNull(map);
        Assert.Equal("", error);

        var report = await ImportCommand.ImportAsync(_config, new ImportRequest(_upstream, [map!], DryRun: false), TextWriter.Null, default);
        Assert.Equal(3, report.RecordingsAdded);
        var rows = await new RecordingStore(new Database(_config.Database.Path), TimeProvider.System)
            .ListOverlappingAsync("garage", DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue, 100);
        Assert.StartsWith(moved + "/garage/", Assert.Single(rows).FilePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Opening_the_upstream_file_in_place_says_to_import_it()
    {
        var e = await Assert.ThrowsAsync<SchemaTooNewException>(() => new Database(_upstream).MigrateAsync(TimeProvider.System));
        Assert.True(e.Upstream);
        Assert.Contains("upstream LightNVR (its migration 0046)", e.Message, StringComparison.Ordinal);
        Assert.Contains($"import --from {_upstream}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_line_reports_usage_errors_and_refuses_what_is_not_an_upstream_file()
    {
        var ini = _dir.File("lightnvr.ini", $"[database]\npath = {_config.Database.Path}\n[storage]\npath = {_recordings}\n");
        using var output = new StringWriter();
        using var errors = new StringWriter();

        Assert.Equal(CommandLine.UsageExitCode, await ImportCommand.RunAsync(["import"], output, errors));
        Assert.Contains("import needs --from", errors.ToString(), StringComparison.Ordinal);
        Assert.Equal(CommandLine.UsageExitCode, await ImportCommand.RunAsync(["import", "--from", _upstream, "--map", "a=b"], output, errors));
        Assert.Contains("--map paths must be absolute", errors.ToString(), StringComparison.Ordinal);

        // Its own database is not upstream's: a clear refusal, exit code 1.
        Assert.Equal(0, await ImportCommand.RunAsync(["-c", ini, "import", "--from", _upstream, "--dry-run"], output, errors));
        Assert.Contains("dry run: nothing written", output.ToString(), StringComparison.Ordinal);
        var ours = _dir.File("ours.db");
        await new Database(ours).MigrateAsync(TimeProvider.System);
        Assert.Equal(1, await ImportCommand.RunAsync(["-c", ini, "import", "--from", ours], output, errors));
        Assert.Contains("is not a database written by upstream LightNVR", errors.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, await ImportCommand.RunAsync(["-c", ini, "import", "--from", _config.Database.Path], output, errors));
        Assert.Contains("[database] path is the upstream file itself", errors.ToString(), StringComparison.Ordinal);

        Assert.True(ImportCommand.IsImport(["-c", "import", "import"]));
        Assert.False(ImportCommand.IsImport(["-c", "import"]));
    }

    private static void CreateUpstream(string path, string recordings)
    {
        var sql = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "Fixtures", "upstream-0046.sql"))
            .Replace("{REC}", recordings, StringComparison.Ordinal);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
