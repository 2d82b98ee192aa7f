using LightNvr.Data;
using LightNvr.Testing;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Data;

public class StoreTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private readonly TestClock _time = new();
    private Database _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabases.MigratedAsync(Engine, _folder.File("stores.db"), _time);
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        _folder.Dispose();
    }

    /// <summary>The engine this class's tests run on; <see cref="PostgresStoreTests"/> runs them on PostgreSQL.</summary>
    protected virtual DatabaseEngine Engine => TestDatabases.Default;

    [Fact]
    public async Task Stream_round_trips_every_field()
    {
        var store = new StreamStore(_db);
        var schedule = Enumerable.Range(0, 168).Select(i => i % 3 == 0).ToArray();
        var stream = new StreamConfig
        {
            Name = "cam.1", Url = "rtsp://u:p@cam/1", Enabled = false, StreamingEnabled = false, Width = 640, Height = 480,
            Fps = 15, Codec = "h265", Priority = 9, Record = false, SegmentDuration = 60, DetectionBasedRecording = true,
            DetectionModel = "motion", DetectionThreshold = 0.42, DetectionInterval = 3, PreDetectionBuffer = 7,
            PostDetectionBuffer = 8, DetectionObjectFilter = "include", DetectionObjectFilterList = "person,car", Protocol = 1,
            RecordAudio = false, AudioVoiceEnhancement = true, IsOnvif = true, BackchannelEnabled = true, RetentionDays = 12,
            DetectionRetentionDays = 34, MaxStorageMb = 5000, TierCriticalMultiplier = 4, TierImportantMultiplier = 1.5,
            TierEphemeralMultiplier = 0.1, StoragePriority = 2, PtzEnabled = true, PtzMaxX = 10, PtzMaxY = 11, PtzMaxZ = 12,
            PtzHasHome = true, OnvifUsername = "ou", OnvifPassword = "op", OnvifProfile = "main", OnvifPort = 8000,
            RecordOnSchedule = true, RecordingSchedule = schedule, DetectionRecordOnSchedule = true,
            DetectionRecordingSchedule = schedule.Select(b => !b).ToArray(), Tags = "outdoor,front", AdminUrl = "http://cam/",
            PrivacyMode = true, MotionTriggerSource = "cam2", Go2rtcSourceOverride = "ffmpeg:x", SubStreamUrl = "rtsp://cam/2",
            DetectionUrl = "http://det/", PublishUrl = "rtmp://yt/live",
        };
        var id = await store.InsertAsync(stream);
        Assert.NotNull(id);
        var read = await store.GetAsync("cam.1");
        Assert.NotNull(read);
        Assert.Equal(schedule, read.RecordingSchedule);
        Assert.Equal(schedule.Select(b => !b), read.DetectionRecordingSchedule);
        // Records compare schedules by reference: compare the rest with the read lists swapped in.
        Assert.Equal(stream with { Id = id.Value, RecordingSchedule = read.RecordingSchedule,
            DetectionRecordingSchedule = read.DetectionRecordingSchedule }, read);

        Assert.Null(await store.InsertAsync(stream)); // duplicate name
        Assert.True(await store.UpdateAsync(read with { Priority = 1 }));
        Assert.Equal(1, (await store.GetAsync("cam.1"))!.Priority);
        Assert.Equal(1, await store.CountAsync());
        Assert.True(await store.DeleteAsync("cam.1"));
        Assert.Null(await store.GetAsync("cam.1"));
        Assert.False(await store.UpdateAsync(read));
    }

    [Fact]
    public async Task Recording_lifecycle_and_paging()
    {
        var store = new RecordingStore(_db, _time);
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await store.InsertOpenAsync(new RecordingRecord
            {
                StreamName = i % 2 == 0 ? "a" : "b", FilePath = $"/rec/{i}.mp4", StartTime = t0.AddMinutes(i * 10),
                Width = 1280, Height = 720, Fps = 25, Codec = "h264", TriggerType = "continuous",
            }));
        }
        var open = await store.GetAsync(ids[0]);
        Assert.False(open!.IsComplete);
        Assert.Null(open.EndTime);
        Assert.Equal(_time.GetUtcNow().ToUnixTimeSeconds(), open.CreatedAt.ToUnixTimeSeconds());
        Assert.Equal(0, (await store.ListAsync(new RecordingQuery())).Total); // open rows are not listed

        for (var i = 0; i < 4; i++)
        {
            Assert.True(await store.UpdateProgressAsync(ids[i], 1000 + i, t0.AddMinutes(i * 10 + 10), isComplete: true));
        }
        Assert.False(await store.UpdateProgressAsync(9999, 1, null, false));
        Assert.Equal([ids[4]], (await store.ListIncompleteAsync()).Select(r => r.Id));
        var done = await store.GetAsync(ids[1]);
        Assert.Equal(1001, done!.SizeBytes);
        Assert.Equal(t0.AddMinutes(20), done.EndTime);

        var all = await store.ListAsync(new RecordingQuery { PageSize = 2 });
        Assert.Equal(4, all.Total);
        Assert.Equal([ids[3], ids[2]], all.Items.Select(r => r.Id));
        var page2 = await store.ListAsync(new RecordingQuery { PageSize = 2, Page = 2 });
        Assert.Equal([ids[1], ids[0]], page2.Items.Select(r => r.Id));
        var onlyA = await store.ListAsync(new RecordingQuery { StreamName = "a" });
        Assert.Equal([ids[2], ids[0]], onlyA.Items.Select(r => r.Id));
        var window = await store.ListAsync(new RecordingQuery { Start = t0.AddMinutes(15), End = t0.AddMinutes(25) });
        Assert.Equal([ids[2]], window.Items.Select(r => r.Id)); // by start time, as upstream
    }

    [Fact]
    public async Task Settings_upsert()
    {
        var store = new SettingsStore(_db, _time);
        Assert.Null(await store.GetAsync("setup_complete"));
        await store.SetAsync("setup_complete", "0");
        await store.SetAsync("setup_complete", "1");
        Assert.Equal("1", await store.GetAsync("setup_complete"));
        Assert.Equal("1", (await store.GetAllAsync())["setup_complete"]);
        Assert.True(await store.DeleteAsync("setup_complete"));
    }
}
