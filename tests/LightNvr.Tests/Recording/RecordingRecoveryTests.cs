using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Media.Mp4.Reading;
using LightNvr.Recording;
using LightNvr.Testing;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Recording;

/// <summary>
/// Start-up recovery on real segment files (our muxer) and a real SQLite database in a temp folder, manual clock (UTC
/// zone): crash-cut segments repaired, the newest files without a row adopted, older files never looked at.
/// </summary>
public sealed class RecordingRecoveryTests : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TestClock _time = new();
    private StorageOptions _storage;
    private readonly RecordingStore _store;
    private readonly Database _db;

    public RecordingRecoveryTests()
    {
        _storage = new StorageOptions { Mp4Path = _folder.File("mp4"), Mp4DirectoryFormat = "year_month_day" };
        _db = new Database(_folder.File("db.sqlite"));
        _store = new RecordingStore(_db, _time);
    }

    public ValueTask DisposeAsync()
    {
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }

    private RecordingRecovery Recovery() => new(_store, TestRecordingFiles.Create(_db, _storage, _time), _storage, _time, NullLogger<RecordingRecovery>.Instance);

    private string Folder(string stream, DateTime local) =>
        SegmentPath.Directory(_storage.Mp4Path, stream, _storage.Mp4DirectoryFormat, local);

    /// <summary>A file of <paramref name="seconds"/> and its row (complete, or open as a crash leaves it).</summary>
    private async Task<(long Id, string Path)> RecordedAsync(string stream, DateTime local, int seconds, bool complete = true)
    {
        var path = SegmentWriter.Write(Folder(stream, local), local, seconds);
        var start = new DateTimeOffset(local, TimeSpan.Zero);
        var id = await _store.InsertOpenAsync(new RecordingRecord
        {
            StreamName = stream, FilePath = path, StartTime = start, SizeBytes = 100, TriggerType = "scheduled",
        });
        if (complete)
        {
            await _store.CompleteAsync(id, start.AddSeconds(seconds), new FileInfo(path).Length, 640, 360, 25, "h264");
        }
        return (id, path);
    }

    private async Task<List<RecordingRecord>> RowsAsync()
    {
        var rows = new List<RecordingRecord>();
        for (var id = 1; id < 100; id++)
        {
            if (await _store.GetAsync(id) is { } r)
            {
                rows.Add(r);
            }
        }
        return rows;
    }

    [Fact]
    public async Task A_crash_cut_segment_is_repaired_and_its_row_completed()
    {
        await _db.MigrateAsync(_time);
        var start = new DateTime(2026, 1, 1, 11, 50, 0);
        var (id, path) = await RecordedAsync("cam1", start, 3, complete: false);
        var whole = new FileInfo(path).Length;
        SegmentWriter.AppendCutFragment(path);

        var report = await Recovery().RunAsync(default);

        Assert.Equal(1, report.Repaired);
        var row = (await _store.GetAsync(id))!;
        Assert.True(row.IsComplete);
        Assert.Equal(new DateTimeOffset(start, TimeSpan.Zero).AddSeconds(3), row.EndTime);
        Assert.Equal(whole, new FileInfo(path).Length); // the cut fragment is gone
        Assert.Equal(whole, row.SizeBytes);
        Assert.Null(Fmp4Reader.Read(path).Problem);
        Assert.Equal(0, report.Adopted); // the repaired file has its row: nothing to adopt
    }

    [Fact]
    public async Task Only_files_from_shortly_before_each_streams_newest_row_are_examined()
    {
        await _db.MigrateAsync(_time);
        var today = new DateTime(2026, 1, 1);
        // Three days ago: a recording, a file whose row is missing and a file that is not even an MP4. Were they
        // examined, the first would get a row and the second would be deleted (no header) as start-up does.
        await RecordedAsync("cam1", today.AddDays(-3).AddHours(10), 2);
        var oldOrphan = SegmentWriter.Write(Folder("cam1", today.AddDays(-3)), today.AddDays(-3).AddHours(10.25), 2);
        var junk = Path.Combine(Folder("cam1", today.AddDays(-3)), "recording_20251229_103000.mp4");
        await File.WriteAllBytesAsync(junk, new byte[5000]);
        // Today, 4 h before the newest row: outside the 2 h margin, left alone too.
        var earlyOrphan = SegmentWriter.Write(Folder("cam1", today), today.AddHours(7.25), 2);
        await RecordedAsync("cam1", today.AddHours(11), 2);
        await RecordedAsync("cam1", today.AddHours(11.25), 2); // the newest row
        // 45 min before the newest row (a clock that stepped back): within the margin, adopted.
        var stepped = SegmentWriter.Write(Folder("cam1", today), today.AddHours(10.5), 2);
        var newest = SegmentWriter.Write(Folder("cam1", today), today.AddHours(11.5), 3); // crash before its row
        SegmentWriter.AppendCutFragment(newest);
        var empty = SegmentWriter.Write(Folder("cam1", today), today.AddHours(11.75), 0); // crash before its first fragment

        var report = await Recovery().RunAsync(default);

        Assert.Equal(2, report.Adopted);
        Assert.Equal(1, report.FilesDeleted);
        Assert.Equal(0, report.Failed);
        // 10:30, 11:00, 11:15, 11:30, 11:45: the older day's folder is not entered, 07:15 not looked at.
        Assert.Equal(5, report.FilesExamined);
        Assert.False(File.Exists(empty));
        Assert.Equal(5000, new FileInfo(junk).Length);
        var rows = await RowsAsync();
        Assert.DoesNotContain(rows, r => r.FilePath == oldOrphan || r.FilePath == earlyOrphan || r.FilePath == junk);
        var adopted = rows.Single(r => r.FilePath == newest);
        Assert.True(adopted.IsComplete);
        Assert.Equal("cam1", adopted.StreamName);
        Assert.Equal(new DateTimeOffset(today.AddHours(11.5), TimeSpan.Zero), adopted.StartTime);
        Assert.Equal(adopted.StartTime.AddSeconds(3), adopted.EndTime);
        Assert.Equal(new FileInfo(newest).Length, adopted.SizeBytes);
        Assert.Null(Fmp4Reader.Read(newest).Problem); // repaired before adoption
        Assert.Equal(("h264", 640, 360, 25), (adopted.Codec, adopted.Width, adopted.Height, adopted.Fps));
        Assert.Contains(rows, r => r.FilePath == stepped && r.IsComplete);

        // A second start adopts nothing again: the files found now have their rows.
        var again = await Recovery().RunAsync(default);
        Assert.Equal((0, 0, 0), (again.Adopted, again.FilesDeleted, again.Failed));
        Assert.Equal(rows.Count, (await RowsAsync()).Count);
    }

    [Fact]
    public async Task Files_are_matched_to_rows_by_the_path_the_recorder_wrote_even_when_mp4_path_is_not_normalised()
    {
        await _db.MigrateAsync(_time);
        _storage = _storage with { Mp4Path = Path.Combine(_folder.Path, ".", "mp4") + "/" }; // as an operator may write it
        var day = new DateTime(2026, 1, 1);
        await RecordedAsync("cam1", day.AddHours(11), 2);
        await RecordedAsync("cam1", day.AddHours(11.25), 2);

        var report = await Recovery().RunAsync(default);

        Assert.Equal((2, 0, 0), (report.FilesExamined, report.Adopted, report.Failed));
        Assert.Equal(2, (await RowsAsync()).Count);
    }

    [Fact]
    public async Task A_stream_folder_without_rows_has_every_file_adopted_and_links_are_not_followed()
    {
        await _db.MigrateAsync(_time);
        _storage = _storage with { Mp4DirectoryFormat = "flat" };
        var first = SegmentWriter.Write(Folder("cam2", default), new DateTime(2026, 1, 1, 9, 0, 0), 2);
        var second = SegmentWriter.Write(Folder("cam2", default), new DateTime(2026, 1, 1, 9, 0, 2), 2);
        // A folder outside the storage folder, linked into the stream folder and as a stream folder: never entered.
        var outside = _folder.File("outside");
        var foreign = SegmentWriter.Write(outside, new DateTime(2026, 1, 1, 9, 30, 0), 2);
        Directory.CreateSymbolicLink(Path.Combine(Folder("cam2", default), "2026"), outside);
        Directory.CreateSymbolicLink(Path.Combine(_storage.Mp4Path, "cam3"), outside);
        File.CreateSymbolicLink(Path.Combine(Folder("cam2", default), "recording_20260101_093000.mp4"), foreign);

        var report = await Recovery().RunAsync(default);

        Assert.Equal(2, report.Adopted);
        Assert.Equal(0, report.Failed);
        var rows = await RowsAsync();
        Assert.Equal([first, second], rows.Select(r => r.FilePath).Order().ToArray());
        Assert.All(rows, r => Assert.Equal("cam2", r.StreamName));
    }
}
