using LightNvr.Data;

namespace LightNvr.Tests.Storage;

/// <summary>The storage manager's rules with an injected clock, a real SQLite database and real files.</summary>
public sealed class RetentionSweepTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public async Task Old_recordings_go_protected_overrides_and_open_ones_stay()
    {
        await using var f = await StorageFixture.CreateAsync();
        f.UpdateStorage(s => s with { RetentionDays = 7 });
        await f.AddStreamAsync("cam1"); // -1: inherits the global 7 days
        var old = await f.AddAsync("cam1", 10 * Day);
        var young = await f.AddAsync("cam1", 2 * Day);
        var prot = await f.AddAsync("cam1", 30 * Day, isProtected: true);
        var keepLonger = await f.AddAsync("cam1", 20 * Day, overrideDays: 60);
        var keepForever = await f.AddAsync("cam1", 400 * Day, overrideDays: 0);
        var expiredOverride = await f.AddAsync("cam1", 20 * Day, overrideDays: 10);
        var open = await f.AddAsync("cam1", 9 * Day, complete: false);

        var result = await f.Sweep.RunAsync(aggressive: false, default);

        Assert.False(await f.ExistsAsync(old));
        Assert.False(await f.ExistsAsync(expiredOverride));
        Assert.True(await f.ExistsAsync(young));
        Assert.True(await f.ExistsAsync(prot));
        Assert.True(await f.ExistsAsync(keepLonger));
        Assert.True(await f.ExistsAsync(keepForever));
        Assert.True(await f.ExistsAsync(open));
        Assert.Equal(2, result.Deleted);
        Assert.Equal(5, Directory.EnumerateFiles(f.Config.Storage.Mp4Path, "*.mp4", SearchOption.AllDirectories).Count());
    }

    [Theory]
    [InlineData(-1, 7, 10, true)]  // inherit global 7: a 10-day recording goes
    [InlineData(0, 7, 400, false)] // 0: unlimited
    [InlineData(30, 7, 10, false)] // own 30 days
    [InlineData(3, 30, 5, true)]   // own 3 days beats global 30
    public async Task Stream_retention_is_tri_state(int streamDays, int globalDays, int ageDays, bool deleted)
    {
        await using var f = await StorageFixture.CreateAsync();
        f.UpdateStorage(s => s with { RetentionDays = globalDays });
        await f.AddStreamAsync("cam1", retentionDays: streamDays);
        var id = await f.AddAsync("cam1", ageDays * Day);
        await f.Sweep.RunAsync(false, default);
        Assert.Equal(deleted, !await f.ExistsAsync(id));
    }

    [Fact]
    public async Task Detection_recordings_use_detection_retention()
    {
        await using var f = await StorageFixture.CreateAsync();
        f.UpdateStorage(s => s with { RetentionDays = 30 });
        await f.AddStreamAsync("cam1", retentionDays: 3, detectionRetentionDays: 14);
        var continuous = await f.AddAsync("cam1", 5 * Day);
        var detection = await f.AddAsync("cam1", 5 * Day, trigger: "detection");
        var oldDetection = await f.AddAsync("cam1", 15 * Day, trigger: "detection");
        var motion = await f.AddAsync("cam1", 5 * Day, trigger: "motion"); // event recording (docs/events.md)
        var oldMotion = await f.AddAsync("cam1", 15 * Day, trigger: "motion");
        await f.Sweep.RunAsync(false, default);
        Assert.False(await f.ExistsAsync(continuous));
        Assert.True(await f.ExistsAsync(detection));
        Assert.False(await f.ExistsAsync(oldDetection));
        Assert.True(await f.ExistsAsync(motion));
        Assert.False(await f.ExistsAsync(oldMotion));
    }

    [Fact]
    public async Task Events_and_detections_past_detection_retention_go_with_their_snapshots_and_open_events_stay()
    {
        await using var f = await StorageFixture.CreateAsync();
        f.UpdateStorage(s => s with { RetentionDays = 30 });
        await f.AddStreamAsync("cam1", retentionDays: 3, detectionRetentionDays: 14);
        await f.AddStreamAsync("cam2", retentionDays: 0);  // keeps everything (detection inherits 0)
        var now = f.Time.GetUtcNow().ToUnixTimeSeconds();
        long Ago(int days) => now - (days * 86400L);
        var snapshots = Path.Combine(f.Config.Storage.Path, "snapshots", "cam1");
        Directory.CreateDirectory(snapshots);
        string Jpeg(string name)
        {
            var path = Path.Combine(snapshots, name);
            File.WriteAllBytes(path, [0xFF, 0xD8, 0xFF]);
            return path;
        }
        var outside = Path.Combine(f.Folder, "not-a-snapshot.jpg"); // a row naming a file elsewhere never deletes it
        File.WriteAllBytes(outside, [1]);
        async Task<long> EventAsync(string stream, long start, bool closed, string? snapshot)
        {
            var id = await f.Events.InsertAsync(new EventRecord
            {
                StreamName = stream, Source = "motion", Label = "motion", Confidence = 0.5, StartTime = start, LastSeen = start + 5,
                EndTime = closed ? start + 5 : null,
            });
            if (snapshot is not null)
            {
                await f.Events.AttachAsync(id, snapshot, null);
            }
            return id;
        }
        var oldSnapshot = Jpeg("event_1.jpg");
        var youngSnapshot = Jpeg("event_2.jpg");
        var old = await EventAsync("cam1", Ago(15), true, oldSnapshot);
        var oldElsewhere = await EventAsync("cam1", Ago(16), true, outside);
        var young = await EventAsync("cam1", Ago(5), true, youngSnapshot);  // past retention_days 3, within detection's 14
        var stillOpen = await EventAsync("cam1", Ago(20), false, null);    // open (a hold): never purged
        var forever = await EventAsync("cam2", Ago(400), true, null);
        var gone = await EventAsync("removed", Ago(31), true, null);        // stream deleted: the global 30 days
        foreach (var (stream, days) in new[] { ("cam1", 15), ("cam1", 13), ("cam2", 400), ("removed", 31), ("removed", 29) })
        {
            await f.Detections.InsertAsync(new DetectionRow(stream, Ago(days), "motion", 0.5, null, null, null, null, null, "motion", null));
        }

        var result = await f.Sweep.RunAsync(false, default);

        Assert.Null(await f.Events.GetAsync(old));
        Assert.Null(await f.Events.GetAsync(oldElsewhere));
        Assert.Null(await f.Events.GetAsync(gone));
        Assert.NotNull(await f.Events.GetAsync(young));
        Assert.NotNull(await f.Events.GetAsync(stillOpen));
        Assert.NotNull(await f.Events.GetAsync(forever));
        Assert.Equal(3, result.EventsPurged);
        Assert.False(File.Exists(oldSnapshot));
        Assert.True(File.Exists(youngSnapshot));
        Assert.True(File.Exists(outside));
        Assert.Equal(2, result.DetectionsPurged);
        Assert.Single(await f.Detections.RecentAsync("cam1", 0, now));
        Assert.Single(await f.Detections.RecentAsync("cam2", 0, now));
        Assert.Single(await f.Detections.RecentAsync("removed", 0, now));
    }

    [Fact]
    public async Task Stream_quota_deletes_oldest_first_and_keeps_protected()
    {
        await using var f = await StorageFixture.CreateAsync();
        await f.AddStreamAsync("cam1", maxStorageMb: 1);
        var oldestProtected = await f.AddAsync("cam1", 5 * Day, bytes: 300_000, isProtected: true);
        var ids = new List<long>();
        for (var i = 4; i >= 1; i--)
        {
            ids.Add(await f.AddAsync("cam1", i * Day, bytes: 300_000));
        }
        var other = await f.AddAsync("cam2", 9 * Day, bytes: 300_000); // other stream: no quota

        await f.Sweep.RunAsync(false, default);

        // 5 × 300 kB on cam1 = 1.5 MB > 1 MiB: the two oldest unprotected go, leaving 900 kB.
        Assert.True(await f.ExistsAsync(oldestProtected));
        Assert.False(await f.ExistsAsync(ids[0]));
        Assert.False(await f.ExistsAsync(ids[1]));
        Assert.True(await f.ExistsAsync(ids[2]));
        Assert.True(await f.ExistsAsync(ids[3]));
        Assert.True(await f.ExistsAsync(other));
    }

    [Fact]
    public async Task Free_space_pressure_deletes_oldest_eligible_first_never_open_or_protected()
    {
        await using var f = await StorageFixture.CreateAsync();
        f.UpdateStorage(s => s with { MinFreePct = 50 });
        f.Disk.Capacity = 940_000;
        var protectedOldest = await f.AddAsync("cam1", 10 * Day, bytes: 150_000, isProtected: true);
        var overrideOld = await f.AddAsync("cam2", 9 * Day, bytes: 150_000, overrideDays: 365);
        var a = await f.AddAsync("cam2", 8 * Day, bytes: 150_000);
        var b = await f.AddAsync("cam1", 7 * Day, bytes: 150_000);
        var c = await f.AddAsync("cam2", 6 * Day, bytes: 150_000);
        var open = await f.AddAsync("cam1", 11 * Day, bytes: 150_000, complete: false);
        Assert.Equal(LightNvr.Storage.PressureLevel.Emergency, f.Sweep.LevelOf(f.Sweep.FreePercent())); // 4 % free

        await f.Sweep.RunAsync(false, default);

        // 900 kB used: deleting a, b, c (oldest eligible) reaches 450 kB used = 52 % free.
        Assert.False(await f.ExistsAsync(a));
        Assert.False(await f.ExistsAsync(b));
        Assert.False(await f.ExistsAsync(c));
        Assert.True(await f.ExistsAsync(protectedOldest));
        Assert.True(await f.ExistsAsync(overrideOld));
        Assert.True(await f.ExistsAsync(open));
        Assert.Equal(LightNvr.Storage.PressureLevel.Normal, f.Sweep.LevelOf(f.Sweep.FreePercent()));
    }

    [Fact]
    public async Task Pressure_stops_as_soon_as_free_space_is_back()
    {
        await using var f = await StorageFixture.CreateAsync();
        f.UpdateStorage(s => s with { MinFreePct = 30 });
        f.Disk.Capacity = 1_000_000;
        var ids = new List<long>();
        for (var i = 8; i >= 1; i--)
        {
            ids.Add(await f.AddAsync("cam1", i * Day, bytes: 100_000));
        }
        await f.Sweep.RunAsync(false, default);
        // 800 kB used (20 % free): exactly the oldest 100 kB need to go to reach 30 % free; nothing more.
        Assert.False(await f.ExistsAsync(ids[0]));
        for (var i = 1; i < ids.Count; i++)
        {
            Assert.True(await f.ExistsAsync(ids[i]));
        }
    }

    [Fact]
    public async Task Global_max_size_deletes_oldest_across_streams()
    {
        await using var f = await StorageFixture.CreateAsync();
        f.UpdateStorage(s => s with { MaxSize = 250_000 });
        var a = await f.AddAsync("cam1", 3 * Day, bytes: 100_000);
        var b = await f.AddAsync("cam2", 2 * Day, bytes: 100_000);
        var c = await f.AddAsync("cam1", 1 * Day, bytes: 100_000);
        await f.Sweep.RunAsync(false, default);
        Assert.False(await f.ExistsAsync(a));
        Assert.True(await f.ExistsAsync(b));
        Assert.True(await f.ExistsAsync(c));
    }

    [Fact]
    public async Task Daily_stats_count_deletions()
    {
        await using var f = await StorageFixture.CreateAsync();
        f.UpdateStorage(s => s with { RetentionDays = 1 });
        await f.AddAsync("cam1", 3 * Day, bytes: 1234);
        await f.AddAsync("cam1", TimeSpan.FromHours(1), bytes: 10);
        await f.Sweep.RunAsync(false, default);
        await using var c = await f.Database.OpenAsync();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT deleted_count, deleted_bytes, recording_count, total_bytes FROM storage_daily_stats WHERE stream_name = 'cam1'";
        using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        Assert.Equal(1, r.GetInt64(0));
        Assert.Equal(1234, r.GetInt64(1));
        Assert.Equal(1, r.GetInt64(2));
        Assert.Equal(10, r.GetInt64(3));
    }
}
