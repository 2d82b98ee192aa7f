using LightNvr.Data;

namespace LightNvr.Tests.Storage;

/// <summary>
/// Deletion is mark → unlink → delete row. A crash is simulated by doing only the first step(s) by hand, then running
/// what start-up runs (<c>FinishMarkedAsync</c>): the state is consistent (no row without file, no file without row).
/// </summary>
public sealed class CrashSafeDeletionTests
{
    [Fact]
    public async Task Crash_after_marking_is_finished_at_start_up()
    {
        await using var f = await StorageFixture.CreateAsync();
        var id = await f.AddAsync("cam1", TimeSpan.FromDays(1));
        var path = (await f.Recordings.GetAsync(id))!.FilePath;
        Assert.True(await f.Recordings.MarkDeletingAsync(id));

        // "crash": the file is still there, the row is marked and hidden from lists.
        Assert.True(File.Exists(path));
        Assert.Empty((await f.Recordings.ListAsync(new RecordingQuery())).Items);
        Assert.Equal(0, (await f.Recordings.ListAsync(new RecordingQuery())).Total);

        Assert.Equal(1, await f.Files.FinishMarkedAsync(default));
        Assert.False(File.Exists(path));
        Assert.False(await f.ExistsAsync(id));
    }

    [Fact]
    public async Task Crash_after_unlink_is_finished_at_start_up()
    {
        await using var f = await StorageFixture.CreateAsync();
        var id = await f.AddAsync("cam1", TimeSpan.FromDays(1));
        var keep = await f.AddAsync("cam1", TimeSpan.FromHours(1));
        var path = (await f.Recordings.GetAsync(id))!.FilePath;
        Assert.True(await f.Recordings.MarkDeletingAsync(id));
        File.Delete(path); // "crash" before the row went

        Assert.Equal(1, await f.Files.FinishMarkedAsync(default));
        Assert.False(await f.ExistsAsync(id));
        Assert.True(await f.ExistsAsync(keep));
        Assert.Equal(1, (await f.Recordings.ListAsync(new RecordingQuery())).Total);
    }

    [Fact]
    public async Task Open_segment_cannot_be_marked()
    {
        await using var f = await StorageFixture.CreateAsync();
        var open = await f.AddAsync("cam1", TimeSpan.FromDays(1), complete: false);
        Assert.False(await f.Recordings.MarkDeletingAsync(open));
        Assert.Equal(0, (await f.Files.RemoveAsync([open], default)).Count);
        Assert.True(await f.ExistsAsync(open));
    }

    [Fact]
    public async Task A_row_pointing_outside_the_storage_folder_never_unlinks_that_file()
    {
        await using var f = await StorageFixture.CreateAsync();
        var outside = Path.Combine(f.Folder, "outside.mp4");
        await File.WriteAllBytesAsync(outside, new byte[10]);
        var id = await f.Recordings.InsertOpenAsync(new RecordingRecord
        {
            StreamName = "cam1", FilePath = outside, StartTime = f.Time.GetUtcNow().AddDays(-1),
        });
        await f.Recordings.CompleteAsync(id, f.Time.GetUtcNow().AddDays(-1).AddSeconds(60), 10, 1, 1, 1, "h264");
        Assert.Equal(1, (await f.Files.RemoveAsync([id], default)).Count);
        Assert.True(File.Exists(outside));
        Assert.False(await f.ExistsAsync(id));
    }

    [Fact]
    public async Task List_counts_stay_right_through_insert_complete_mark_and_delete()
    {
        await using var f = await StorageFixture.CreateAsync();
        var a = await f.AddAsync("cam1", TimeSpan.FromDays(1));
        await f.AddAsync("cam1", TimeSpan.FromDays(2));
        await f.AddAsync("cam2", TimeSpan.FromDays(2));
        await f.AddAsync("cam2", TimeSpan.FromDays(2), complete: false);
        Assert.Equal(3, (await f.Recordings.ListAsync(new RecordingQuery())).Total);
        Assert.Equal(2, (await f.Recordings.ListAsync(new RecordingQuery { Streams = ["cam1"] })).Total);
        await f.Files.RemoveAsync([a], default);
        Assert.Equal(2, (await f.Recordings.ListAsync(new RecordingQuery())).Total);
        Assert.Equal(1, (await f.Recordings.ListAsync(new RecordingQuery { Streams = ["cam1"] })).Total);
    }
}
