using LightNvr.Testing;
using LightNvr.Data;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Data;

/// <summary>
/// <c>detection_events</c> (M0007): round trip, attachments that never overwrite, the start-up close of events a crash
/// left open (at their last real sighting), overlap queries, and the rate-bounded <c>detections</c> rows it sits beside.
/// </summary>
public class EventStoreTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private readonly TestClock _time = new();
    private Database _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabases.MigratedAsync(Engine, _folder.File("events.db"), _time);
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        _folder.Dispose();
    }

    /// <summary>The engine this class's tests run on; <see cref="PostgresEventStoreTests"/> runs them on PostgreSQL.</summary>
    protected virtual DatabaseEngine Engine => TestDatabases.Default;

    private static EventRecord Open(string stream, long start, long lastSeen) => new()
    {
        StreamName = stream, Source = "motion", Label = "motion", Confidence = 0.5, StartTime = start, LastSeen = lastSeen, Zone = "z1",
        X = 0.1, Y = 0.2, Width = 0.3, Height = 0.4,
    };

    [Fact]
    public async Task Rows_round_trip_and_attachments_are_set_once()
    {
        var store = new EventStore(_db);
        var id = await store.InsertAsync(Open("cam1", 100, 100));
        var row = (await store.GetAsync(id))!;
        Assert.Equal(("cam1", "motion", "z1", 100L, (long?)null, 0.3), (row.StreamName, row.Source, row.Zone, row.StartTime, row.EndTime, row.Width!.Value));
        Assert.True(row.Active);

        var recordings = new RecordingStore(_db, _time);
        var rec = await recordings.InsertOpenAsync(new RecordingRecord { StreamName = "cam1", FilePath = "/r/1.mp4", StartTime = _time.GetUtcNow() });
        await store.AttachAsync(id, "/snap/a.jpg", null);
        await store.AttachAsync(id, "/snap/b.jpg", rec);
        await store.UpdateAsync(row with { Confidence = 0.9, LastSeen = 105, EndTime = 105 }); // the loop's copy has no attachments
        row = (await store.GetAsync(id))!;
        Assert.Equal(("/snap/a.jpg", (long?)rec, 0.9, (long?)105), (row.SnapshotPath, row.RecordingId, row.Confidence, row.EndTime));
        Assert.False(row.Active);

        await recordings.DeleteAsync(rec); // retention removes the recording: the event stays, without it
        Assert.Null((await store.GetAsync(id))!.RecordingId);
    }

    [Fact]
    public async Task Start_up_closes_events_a_crash_left_open_at_their_last_sighting()
    {
        var store = new EventStore(_db);
        var open = await store.InsertAsync(Open("cam1", 100, 130));
        var closed = await store.InsertAsync(Open("cam1", 200, 210) with { EndTime = 212 });
        Assert.Equal(1, await store.CloseOpenAsync());
        Assert.Equal(130, (await store.GetAsync(open))!.EndTime);
        Assert.Equal(212, (await store.GetAsync(closed))!.EndTime);
        Assert.Equal(0, await store.CloseOpenAsync());
    }

    [Fact]
    public async Task Overlap_includes_open_events_and_events_that_began_before_the_window()
    {
        var store = new EventStore(_db);
        var before = await store.InsertAsync(Open("cam1", 50, 150) with { EndTime = 150 });
        var inside = await store.InsertAsync(Open("cam1", 120, 130) with { EndTime = 130 });
        var open = await store.InsertAsync(Open("cam1", 190, 195));
        await store.InsertAsync(Open("cam1", 10, 20) with { EndTime = 20 });
        await store.InsertAsync(Open("cam2", 120, 130) with { EndTime = 130 });
        Assert.Equal([before, inside, open], (await store.OverlappingAsync("cam1", 100, 200, 100)).Select(e => e.Id));
        Assert.Equal([before], (await store.OverlappingAsync("cam1", 100, 200, 1)).Select(e => e.Id));
    }

    [Fact]
    public async Task Detection_rows_read_back_newest_first_at_most_twenty()
    {
        var store = new DetectionStore(_db);
        for (var t = 0; t < 25; t++)
        {
            await store.InsertAsync(new DetectionRow("cam1", 1000 + t, "person", 0.8, null, null, null, null, null, "object", t == 24 ? 1030 : null));
        }
        var rows = await store.RecentAsync("cam1", 0, 2000);
        Assert.Equal(DetectionStore.MaxResults, rows.Count);
        Assert.Equal((1024L, (long?)1030), (rows[0].Timestamp, rows[0].EndTimestamp));
        Assert.Empty(await store.RecentAsync("cam2", 0, 2000));
    }
}
