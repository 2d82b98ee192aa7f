using LightNvr.Data;
using LightNvr.Recording;
using LightNvr.Storage;

namespace LightNvr.Tests.Storage;

/// <summary>
/// Retention over more rows than one write transaction takes (<see cref="RecordingFiles.MaxRowsPerWrite"/>) and more
/// than one candidate batch (<see cref="StorageService.MaxBatchRows"/>): every expired recording goes, nothing else
/// does, and the counts the list and the stats read stay equal to the rows.
/// </summary>
public sealed class RetentionBatchingTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public async Task A_sweep_larger_than_a_batch_deletes_every_expired_row_and_keeps_the_rest()
    {
        await using var f = await StorageFixture.CreateAsync();
        f.UpdateStorage(s => s with { RetentionDays = 7 });
        var expiredCount = StorageService.MaxBatchRows + RecordingFiles.MaxRowsPerWrite + 21;
        var expired = new List<long>();
        for (var i = 0; i < expiredCount; i++)
        {
            expired.Add(await f.AddAsync(i % 3 == 0 ? "cam2" : "cam1", (10 * Day) + TimeSpan.FromMinutes(i), bytes: 100));
        }
        var kept = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            kept.Add(await f.AddAsync("cam1", Day + TimeSpan.FromMinutes(i), bytes: 7));
        }
        kept.Add(await f.AddAsync("cam1", 30 * Day, isProtected: true));
        kept.Add(await f.AddAsync("cam2", 30 * Day, complete: false));
        var tags = new RecordingTagStore(f.Database, f.Time);
        await tags.BatchAsync([.. expired.Take(150), .. kept], ["car"], []);

        var result = await f.Sweep.RunAsync(aggressive: false, default);

        Assert.Equal(expiredCount, result.Deleted);
        Assert.Equal(expiredCount * 100L, result.FreedBytes);
        foreach (var id in expired)
        {
            Assert.False(await f.ExistsAsync(id));
        }
        foreach (var id in kept)
        {
            Assert.True(await f.ExistsAsync(id));
        }
        Assert.Equal(kept.Count, Directory.EnumerateFiles(f.Config.Storage.Mp4Path, "*.mp4", SearchOption.AllDirectories).Count());

        // List totals (recording_list_counts, recording_tag_counts) equal the remaining listed rows: 12 young + protected.
        Assert.Equal(13, (await f.Recordings.ListAsync(new RecordingQuery())).Total);
        var car = await f.Recordings.ListAsync(new RecordingQuery { Tags = ["car"], PageSize = 100 });
        Assert.Equal(13, car.Total);
        Assert.Equal(13, car.Items.Count);

        // Daily stats: every deletion counted once, per stream; today's totals are the rows left (open one included).
        await using var c = await f.Database.OpenAsync();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT stream_name, deleted_count, deleted_bytes, recording_count FROM storage_daily_stats ORDER BY stream_name";
        using var r = await cmd.ExecuteReaderAsync();
        var cam2Expired = (expiredCount + 2) / 3;
        Assert.True(await r.ReadAsync());
        Assert.Equal(("cam1", expiredCount - cam2Expired, (expiredCount - cam2Expired) * 100L, 13L),
            (r.GetString(0), r.GetInt32(1), r.GetInt64(2), r.GetInt64(3)));
        Assert.True(await r.ReadAsync());
        Assert.Equal(("cam2", cam2Expired, cam2Expired * 100L, 1L), (r.GetString(0), r.GetInt32(1), r.GetInt64(2), r.GetInt64(3)));
        Assert.False(await r.ReadAsync());
    }

    [Fact]
    public async Task Start_up_finishes_more_marked_rows_than_one_write_takes()
    {
        await using var f = await StorageFixture.CreateAsync();
        var ids = new List<long>();
        for (var i = 0; i < (2 * RecordingFiles.MaxRowsPerWrite) + 5; i++)
        {
            ids.Add(await f.AddAsync("cam1", TimeSpan.FromMinutes(i + 1)));
        }
        var young = await f.AddAsync("cam1", TimeSpan.Zero);
        Assert.Equal(ids.Count, (await f.Retention.MarkAsync(ids, default)).Count); // the crash: marked, nothing unlinked

        Assert.Equal(ids.Count, await f.Files.FinishMarkedAsync(default));

        Assert.Empty(await f.Recordings.ListMarkedAsync(1000));
        Assert.True(await f.ExistsAsync(young));
        Assert.Single(Directory.EnumerateFiles(f.Config.Storage.Mp4Path, "*.mp4", SearchOption.AllDirectories));
        Assert.Equal(1, (await f.Recordings.ListAsync(new RecordingQuery())).Total);
    }
}
