using System.Text.Json;
using LightNvr.Cameras;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Media;
using LightNvr.Media.Mp4.Reading;
using LightNvr.Recording;
using LightNvr.Storage;
using LightNvr.Testing;
using LightNvr.Tests.Api.Recordings;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Storage;

/// <summary>
/// <c>POST /api/recordings/sync</c> adopting orphan segment files: real files from our muxer in a temp storage folder,
/// a real SQLite database, a manual clock (UTC zone).
/// </summary>
public sealed class RecordingSyncTests : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TestClock _time = new();
    private StorageOptions _options;
    private readonly Database _db;
    private readonly RecordingStore _store;
    private readonly StreamStore _streams;
    private readonly OpenSegments _open = new();
    private readonly RecordingSync _sync;

    public RecordingSyncTests()
    {
        _options = new StorageOptions
        {
            Path = _folder.File("rec"), Mp4Path = _folder.File("rec/mp4"), Mp4DirectoryFormat = "year_month_day",
        };
        Directory.CreateDirectory(_options.Mp4Path);
        _db = new Database(_folder.File("db.sqlite"));
        _store = new RecordingStore(_db, _time);
        _streams = new StreamStore(_db);
        _sync = new RecordingSync(_store, _streams, _options, new StorageRoot(_options), _open,
            TestRecordingFiles.Create(_db, _options, _time), _time);
    }

    public ValueTask DisposeAsync()
    {
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task StartAsync()
    {
        await _db.MigrateAsync(_time);
        await _streams.InsertAsync(new StreamConfig { Name = "cam1", Url = "rtsp://127.0.0.1/cam1" });
    }

    private string Folder(string stream, DateTime local) =>
        SegmentPath.Directory(_options.Mp4Path, stream, _options.Mp4DirectoryFormat, local);

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
    public async Task Readable_orphans_in_a_streams_folder_get_rows_and_the_rest_are_reported_with_a_reason()
    {
        await StartAsync();
        var day = new DateTime(2026, 1, 1);
        var recorded = SegmentWriter.Write(Folder("cam1", day), day.AddHours(8), 2);
        var id = await _store.InsertOpenAsync(new RecordingRecord
        {
            StreamName = "cam1", FilePath = recorded, StartTime = new DateTimeOffset(day.AddHours(8), TimeSpan.Zero),
        });
        await _store.CompleteAsync(id, new DateTimeOffset(day.AddHours(8), TimeSpan.Zero).AddSeconds(2),
            new FileInfo(recorded).Length, 640, 360, 25, "h264");
        // Adoptable: an old file (older than start-up recovery looks) and one a crash cut mid-fragment.
        var old = SegmentWriter.Write(Folder("cam1", day.AddDays(-12)), day.AddDays(-12).AddHours(10), 3);
        var cut = SegmentWriter.Write(Folder("cam1", day), day.AddHours(9), 2);
        var whole = new FileInfo(cut).Length;
        SegmentWriter.AppendCutFragment(cut);
        // Not adoptable, each for its reason.
        var empty = SegmentWriter.Write(Folder("cam1", day), day.AddHours(9.5), 0);
        var junk = Path.Combine(Folder("cam1", day), "recording_20260101_100000.mp4");
        await File.WriteAllBytesAsync(junk, new byte[3000]);
        var misnamed = Path.Combine(Folder("cam1", day), "recording_yesterday.mp4");
        File.Copy(recorded, misnamed);
        var misplaced = Path.Combine(Folder("cam1", day.AddDays(-12)), "recording_20260101_110000.mp4");
        File.Copy(recorded, misplaced);
        var unknownStream = SegmentWriter.Write(Folder("ghost", day), day.AddHours(9), 2);
        var atRoot = Path.Combine(_options.Mp4Path, "recording_20260101_090000.mp4");
        File.Copy(recorded, atRoot);
        // Links: a file linked to one outside the storage folder, and a linked folder that is never entered.
        var outside = _folder.File("outside");
        var foreign = SegmentWriter.Write(outside, day.AddHours(11.5), 2);
        var link = Path.Combine(Folder("cam1", day), "recording_20260101_113000.mp4");
        File.CreateSymbolicLink(link, foreign);
        Directory.CreateSymbolicLink(Path.Combine(_options.Mp4Path, "cam1", "2024"), outside);

        var report = await _sync.RunAsync(default);

        Assert.Equal(2, report.RowsAdopted);
        Assert.Equal((0, 0), (report.RowsRemoved, report.RowsUpdated));
        var reasons = report.Orphans.ToDictionary(o => o.Path, o => o.Reason);
        Assert.Equal(7, report.OrphanCount);
        Assert.Equal("holds no media fragment", reasons[empty]);
        Assert.StartsWith("no complete MP4 header", reasons[junk], StringComparison.Ordinal);
        Assert.Equal("name is not recording_YYYYmmdd_HHMMSS.mp4", reasons[misnamed]);
        Assert.StartsWith("folder does not match", reasons[misplaced], StringComparison.Ordinal);
        Assert.Equal("not in a known stream's folder", reasons[unknownStream]);
        Assert.Equal("not in a stream's folder", reasons[atRoot]);
        Assert.StartsWith("symbolic link", reasons[link], StringComparison.Ordinal);
        Assert.True(File.Exists(empty) && File.Exists(junk)); // sync deletes nothing

        var rows = await RowsAsync();
        var adoptedOld = rows.Single(r => r.FilePath == old);
        Assert.Equal(new DateTimeOffset(day.AddDays(-12).AddHours(10), TimeSpan.Zero), adoptedOld.StartTime);
        Assert.Equal(adoptedOld.StartTime.AddSeconds(3), adoptedOld.EndTime);
        Assert.True(adoptedOld.IsComplete);
        Assert.Equal(("cam1", "h264", 640, 360), (adoptedOld.StreamName, adoptedOld.Codec, adoptedOld.Width, adoptedOld.Height));
        var adoptedCut = rows.Single(r => r.FilePath == cut);
        Assert.Equal(whole, adoptedCut.SizeBytes);
        Assert.Equal(whole, new FileInfo(cut).Length);
        Assert.Null(Fmp4Reader.Read(cut).Problem);
        Assert.DoesNotContain(rows, r => r.FilePath.StartsWith(outside, StringComparison.Ordinal)
            || r.FilePath.Contains("/2024/", StringComparison.Ordinal));

        // Again: nothing new to adopt, the same files reported, no row twice.
        var again = await _sync.RunAsync(default);
        Assert.Equal((0, 7), (again.RowsAdopted, again.OrphanCount));
        Assert.Equal(rows.Count, (await RowsAsync()).Count);
    }

    [Fact]
    public async Task Files_with_rows_are_known_by_the_path_the_recorder_wrote()
    {
        await StartAsync();
        _options = _options with { Mp4Path = Path.Combine(_folder.Path, "rec", ".", "mp4") };
        var sync = new RecordingSync(_store, _streams, _options, new StorageRoot(_options), _open,
            TestRecordingFiles.Create(_db, _options, _time), _time);
        var local = new DateTime(2026, 1, 1, 11, 0, 0);
        var path = SegmentWriter.Write(Folder("cam1", local), local, 2);
        var id = await _store.InsertOpenAsync(new RecordingRecord
        {
            StreamName = "cam1", FilePath = path, StartTime = new DateTimeOffset(local, TimeSpan.Zero),
        });
        await _store.CompleteAsync(id, new DateTimeOffset(local, TimeSpan.Zero).AddSeconds(2), new FileInfo(path).Length,
            640, 360, 25, "h264");

        var report = await sync.RunAsync(default);

        Assert.Equal((0, 0, 0, 0), (report.RowsAdopted, report.OrphanCount, report.RowsRemoved, report.RowsUpdated));
        Assert.Single(await RowsAsync());
    }

    [Fact]
    public async Task A_file_a_recorder_is_creating_or_has_open_is_never_adopted()
    {
        await StartAsync();
        var local = new DateTime(2026, 1, 1, 11, 0, 0);
        var path = SegmentWriter.Write(Folder("cam1", local), local, 2);

        using (_open.BeginCreate()) // between the file's creation and its row, as StreamRecorder does
        {
            var creating = await _sync.RunAsync(default);
            Assert.Equal(0, creating.RowsAdopted);
            Assert.Equal("open segment (being recorded)", Assert.Single(creating.Orphans).Reason);
        }
        _open.Add(path);
        Assert.Equal(0, (await _sync.RunAsync(default)).RowsAdopted);
        Assert.Empty(await RowsAsync());

        _open.Remove(path); // closed, and still without a row: now it is an orphan
        Assert.Equal(1, (await _sync.RunAsync(default)).RowsAdopted);
        Assert.Equal(path, Assert.Single(await RowsAsync()).FilePath);
    }

    [Fact]
    public async Task A_running_recorders_open_segment_is_left_to_it()
    {
        await StartAsync();
        _options = _options with { Mp4DirectoryFormat = "flat" };
        var sync = new RecordingSync(_store, _streams, _options, new StorageRoot(_options), _open,
            TestRecordingFiles.Create(_db, _options, _time), _time);
        var camera = new CameraStream(new StreamConfig
        {
            Name = "cam1", Url = "rtsp://synthetic", SegmentDuration = 60, RecordAudio = false,
        }, (_, ct) => Task.Delay(Timeout.Infinite, ct), _time);
        camera.Hub.OnTracks([SegmentWriter.Video]);
        var recorder = new StreamRecorder(camera, _store, TestRecordingFiles.Create(_db, _options, _time), _options, _time, NullLogger.Instance, _open);
        recorder.Start();
        try
        {
            for (var n = 0; n < 60; n++)
            {
                camera.Hub.OnFrame(new MediaFrame(SegmentWriter.Video, n * 3600L, 0, n % 25 == 0,
                    new byte[] { 0, 0, 0, 2, 0x65, 0x88 }, n * 40L));
                _time.Advance(TimeSpan.FromMilliseconds(40));
            }
            var deadline = Environment.TickCount64 + 10_000;
            // Caught up = waiting for frames; frames still queued then are ones it chose to defer (StreamRecorder.IsWaitingForFrames).
            while ((await RowsAsync()).Count == 0 || (recorder.QueueStats!.Queued > 0 && !recorder.IsWaitingForFrames))
            {
                Assert.True(Environment.TickCount64 < deadline, "no open segment");
                await Task.Delay(20);
            }
            var open = Assert.Single(await RowsAsync());
            Assert.True(_open.MayBeOpen(open.FilePath));

            var report = await sync.RunAsync(default);

            Assert.Equal((0, 0, 0), (report.RowsAdopted, report.OrphanCount, report.RowsRemoved));
            var after = Assert.Single(await RowsAsync());
            Assert.False(after.IsComplete); // still the recorder's, untouched
            await recorder.StopAsync();
            Assert.False(_open.MayBeOpen(open.FilePath));
            Assert.True((await _store.GetAsync(open.Id))!.IsComplete);
        }
        finally
        {
            await recorder.StopAsync();
            await camera.DisposeAsync();
        }
    }

    [Fact]
    public async Task Sync_endpoint_reports_adopted_rows_and_orphans_with_reasons()
    {
        await using var host = await RecordingsApiHost.StartAsync();
        var now = host.Host.Time.GetUtcNow();
        await host.AddAsync("cam1", now.AddHours(-2), RecordingsApiHost.Pattern(100)); // makes cam1 a known stream
        var local = now.UtcDateTime.AddHours(-1);
        var folder = SegmentPath.Directory(host.Mp4Path, "cam1", host.Config.Storage.Mp4DirectoryFormat, local);
        var orphan = SegmentWriter.Write(folder, local, 2);
        var empty = SegmentWriter.Write(folder, local.AddMinutes(5), 0);
        using var client = host.Admin();

        var response = await client.PostAsync("/api/recordings/sync", null);

        response.EnsureSuccessStatusCode();
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(json.GetProperty("success").GetBoolean());
        Assert.Equal(1, json.GetProperty("rows_adopted").GetInt32());
        Assert.Equal(1, json.GetProperty("updated").GetInt32());
        Assert.Equal(0, json.GetProperty("rows_removed").GetInt32());
        Assert.Equal(0, json.GetProperty("rows_updated").GetInt32());
        Assert.Equal(1, json.GetProperty("orphan_files").GetInt32());
        Assert.Equal(empty, json.GetProperty("orphans")[0].GetString());
        var reason = json.GetProperty("orphan_reasons")[0];
        Assert.Equal((empty, "holds no media fragment"),
            (reason.GetProperty("path").GetString(), reason.GetProperty("reason").GetString()));
        var list = JsonDocument.Parse(await client.GetStringAsync("/api/recordings?stream=cam1")).RootElement;
        Assert.Equal(2, list.GetProperty("pagination").GetProperty("total").GetInt32());
        Assert.Contains(list.GetProperty("recordings").EnumerateArray(),
            r => r.GetProperty("file_path").GetString() == orphan);
    }
}
