using LightNvr.Testing;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Data;

/// <summary>
/// A stream change is one call that writes the row and then tells the listeners (issue 12, item 3). Real SQLite; the
/// listener records what it was told (the cameras' side is covered by CameraServiceTests and the interop tests).
/// </summary>
public sealed class StreamChangesTests
{
    private sealed class RecordingListener(StreamStore store) : IStreamChangeListener
    {
        public readonly List<string> Heard = [];

        public async Task OnStreamAddedAsync(StreamConfig stream, CancellationToken cancellationToken) =>
            Heard.Add($"added {stream.Name} id={stream.Id} row={(await store.GetAsync(stream.Name))?.Id}");

        public async Task OnStreamUpdatedAsync(StreamConfig before, StreamConfig after, CancellationToken cancellationToken) =>
            Heard.Add($"updated {before.SegmentDuration}->{after.SegmentDuration} row={(await store.GetAsync(after.Name))?.SegmentDuration}");

        public async Task OnStreamRemovedAsync(StreamConfig stream, bool permanent, CancellationToken cancellationToken) =>
            Heard.Add($"removed {stream.Name} permanent={permanent} row={(await store.GetAsync(stream.Name))?.Enabled.ToString() ?? "gone"}");
    }

    [Fact]
    public async Task Each_change_writes_the_row_before_the_listeners_hear_of_it()
    {
        using var folder = new TempFolder();
        var db = new Database(folder.File("db.sqlite"));
        await db.MigrateAsync(new TestClock());
        var store = new StreamStore(db);
        var listener = new RecordingListener(store);
        var config = new LightNvrConfig { Streams = new StreamsOptions { MaxStreams = 2 } };
        var changes = new StreamChanges(store, new StreamChangeBroadcaster([listener], NullLogger<StreamChangeBroadcaster>.Instance),
            new ConfigSnapshots(config).Streams);
        var ct = CancellationToken.None;

        var a = new StreamConfig { Name = "a", Url = "rtsp://a", SegmentDuration = 30 };
        Assert.Equal(StreamChangeOutcome.Done, (await changes.AddAsync(a, ct)).Outcome);
        Assert.Equal(StreamChangeOutcome.AlreadyExists, (await changes.AddAsync(a, ct)).Outcome);
        Assert.Equal(StreamChangeOutcome.Done, (await changes.AddAsync(a with { Name = "b" }, ct)).Outcome);
        var full = await changes.AddAsync(a with { Name = "c" }, ct);
        Assert.Equal(new StreamChangeResult(StreamChangeOutcome.LimitReached, 2, 2), full);
        Assert.Null(await store.GetAsync("c"));

        var row = (await store.GetAsync("a"))!;
        await changes.UpdateAsync(row, row with { SegmentDuration = 10 }, ct);
        await changes.RemoveAsync(row, permanent: false, ct);
        await changes.RemoveAsync((await store.GetAsync("b"))!, permanent: true, ct);

        Assert.Equal(
        [
            $"added a id={row.Id} row={row.Id}", $"added b id={row.Id + 1} row={row.Id + 1}", "updated 30->10 row=10",
            "removed a permanent=False row=False", "removed b permanent=True row=gone",
        ], listener.Heard);
    }
}
