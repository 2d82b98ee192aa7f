using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Testing;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Data;

/// <summary>
/// Stream changes made through another recorder node (docs/scale.md): the rows are written straight to the shared
/// database (as the other node's API does), and <see cref="StreamSync"/> must tell this node's listeners what was
/// added, changed, disabled and deleted; the fields the camera measures are no change, and a change made through this
/// node's own <see cref="StreamChanges"/> is heard once, not again at the next sync. Real SQLite (the store is the
/// same on PostgreSQL).
/// </summary>
public sealed class StreamSyncTests
{
    private sealed class Listener : IStreamChangeListener
    {
        public readonly List<string> Heard = [];

        public Task OnStreamAddedAsync(StreamConfig stream, CancellationToken cancellationToken) =>
            Add($"added {stream.Name}");

        public Task OnStreamUpdatedAsync(StreamConfig before, StreamConfig after, CancellationToken cancellationToken) =>
            Add($"updated {after.Name} {before.Url}->{after.Url}");

        public Task OnStreamRemovedAsync(StreamConfig stream, bool permanent, CancellationToken cancellationToken) =>
            Add($"removed {stream.Name} permanent={permanent}");

        private Task Add(string what)
        {
            Heard.Add(what);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Rows_changed_by_another_node_are_announced_once_and_own_changes_not_again()
    {
        using var folder = new TempFolder();
        var db = new Database(folder.File("db.sqlite"));
        await db.MigrateAsync(new TestClock());
        var store = new StreamStore(db);
        var listener = new Listener();
        var broadcaster = new StreamChangeBroadcaster([listener], NullLogger<StreamChangeBroadcaster>.Instance);
        using var sync = new StreamSync(store, broadcaster, NullLogger<StreamSync>.Instance);
        var changes = new StreamChanges(store, broadcaster, new ConfigSnapshots(new LightNvrConfig()).Streams, sync);
        await store.InsertAsync(new StreamConfig { Name = "old", Url = "rtsp://old" });

        Assert.Equal(0, await sync.SyncAsync()); // the first read only remembers
        Assert.Empty(listener.Heard);

        // Another node adds, edits, disables and deletes.
        await store.InsertAsync(new StreamConfig { Name = "new", Url = "rtsp://new" });
        Assert.Equal(1, await sync.SyncAsync());
        Assert.Equal(0, await sync.SyncAsync());
        var row = (await store.GetAsync("new"))!;
        await store.UpdateAsync(row with { Url = "rtsp://moved" });
        await store.UpdateVideoInfoAsync("old", "h264", 1920, 1080, 25); // measured by a camera: not a change
        Assert.Equal(1, await sync.SyncAsync());
        await store.UpdateAsync((await store.GetAsync("new"))! with { Enabled = false });
        Assert.Equal(1, await sync.SyncAsync());
        await store.DeleteAsync("new");
        Assert.Equal(1, await sync.SyncAsync());

        // This node's own API: heard once (through StreamChanges), not again at the next sync.
        await changes.AddAsync(new StreamConfig { Name = "mine", Url = "rtsp://mine" }, CancellationToken.None);
        var mine = (await store.GetAsync("mine"))!;
        await changes.UpdateAsync(mine, mine with { Url = "rtsp://mine2" }, CancellationToken.None);
        Assert.Equal(0, await sync.SyncAsync());

        Assert.Equal(
        [
            "added new", "updated new rtsp://new->rtsp://moved", "removed new permanent=False", "removed new permanent=True",
            "added mine", "updated mine rtsp://mine->rtsp://mine2",
        ], listener.Heard);
    }

    [Fact]
    public void Same_ignores_only_the_measured_fields()
    {
        var a = new StreamConfig { Name = "a", Url = "rtsp://a" };
        Assert.True(StreamSync.Same(a, a with { Codec = "h265", Width = 640, Height = 360, Fps = 10,
            RecordingSchedule = [.. a.RecordingSchedule] }));
        Assert.False(StreamSync.Same(a, a with { SegmentDuration = a.SegmentDuration + 1 }));
        var night = a.RecordingSchedule.ToArray();
        night[3] = false;
        Assert.False(StreamSync.Same(a, a with { RecordingSchedule = night }));
    }
}
