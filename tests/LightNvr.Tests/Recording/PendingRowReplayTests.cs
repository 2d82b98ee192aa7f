using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Recording;
using LightNvr.Testing;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Recording;

/// <summary>
/// Writing the pending-row queue on both engines, real segment files: rows go in complete and in order, a second
/// pass (a crash after writing, before the journal shrank) adds nothing twice, a completion reaches its row, a file
/// deleted meanwhile is skipped, and fencing: with a lease epoch a row overlapping another node's row of the camera is
/// refused and its file deleted, one before the take-over is kept.
/// </summary>
public sealed class PendingRowReplayTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TestClock _time = new();
    private readonly StorageOptions _storage;

    public PendingRowReplayTests()
    {
        _storage = new StorageOptions { Path = _folder.Path, Mp4Path = _folder.File("mp4"), Mp4DirectoryFormat = "flat" };
    }

    public void Dispose() => _folder.Dispose();

    private static readonly DateTime T0 = new(2026, 1, 1, 12, 0, 0);

    private PendingRow Segment(string stream, int startSecond, int seconds, string node = "nodea", long? epoch = null)
    {
        var local = T0.AddSeconds(startSecond);
        var path = SegmentWriter.Write(SegmentPath.Directory(_storage.Mp4Path, stream, "flat", local), local, seconds);
        var start = new DateTimeOffset(local, TimeSpan.Zero);
        return new PendingRow
        {
            Recording = new RecordingRecord
            {
                StreamName = stream, FilePath = path, StartTime = start, EndTime = start.AddSeconds(seconds),
                SizeBytes = new FileInfo(path).Length, Width = 640, Height = 360, Fps = 25, Codec = "h264",
                TriggerType = "scheduled", NodeId = node, LeaseEpoch = epoch, IsComplete = true,
            },
        };
    }

    private async Task<(Database Db, PendingRows Rows, PendingRowReplay Replay)> SetUpAsync(DatabaseEngine engine)
    {
        var db = await TestDatabases.MigratedAsync(engine, _folder.File("db.sqlite"), _time);
        var rows = PendingRows.Open(PendingRows.PathFor(_storage.Path, "nodea"), NullLogger.Instance);
        return (db, rows, new PendingRowReplay(rows, TestRecordingFiles.Create(db, _storage, _time), _time,
            NullLogger<PendingRowReplay>.Instance));
    }

    private static async Task<List<(string Stream, long Start, long? End, bool Complete, string Node)>> RowsAsync(Database db)
    {
        await using var connection = await db.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT stream_name, start_time, end_time, is_complete, node_id FROM recordings ORDER BY start_time, id";
        var rows = new List<(string, long, long?, bool, string)>();
        using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2),
                reader.GetInt64(3) == 1, reader.GetString(4)));
        }
        return rows;
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgresql)]
    public async Task Queued_rows_go_in_complete_once_and_a_completion_reaches_its_row(DatabaseEngine engine)
    {
        var (db, rows, replay) = await SetUpAsync(engine);
        await using var _ = db;
        using var __ = rows;
        await using var ___ = replay;
        var store = new RecordingStore(db, _time);
        var open = Segment("door", 0, 2);
        var openId = await store.InsertOpenAsync(open.Recording with { EndTime = null });
        var queued = new[] { open with { RowId = openId }, Segment("door", 2, 2), Segment("door", 4, 2), Segment("yard", 0, 3) };
        var gone = Segment("door", 6, 1);
        foreach (var row in queued.Append(gone))
        {
            Assert.True(rows.TryAdd(row));
        }
        File.Delete(gone.Recording.FilePath);

        Assert.Equal(5, await replay.DrainAsync());
        Assert.Equal(0, rows.Count);
        var listed = await RowsAsync(db);
        Assert.Equal(4, listed.Count);
        Assert.All(listed, r => Assert.True(r.Complete && r.End == r.Start + (r.Stream == "yard" ? 3 : 2)));
        Assert.Equal(["door", "door", "door", "yard"], listed.OrderBy(r => r.Stream).Select(r => r.Stream));

        // A crash after the rows were written but before the journal shrank: the same rows again add nothing.
        foreach (var row in queued)
        {
            rows.TryAdd(row);
        }
        Assert.Equal(4, await replay.DrainAsync());
        Assert.Equal(4, (await RowsAsync(db)).Count);
    }

    [Fact]
    public async Task Fencing_refuses_a_replayed_row_another_node_recorded_over_and_keeps_the_one_before()
    {
        var (db, rows, replay) = await SetUpAsync(DatabaseEngine.Postgresql);
        await using var _ = db;
        using var __ = rows;
        await using var ___ = replay;
        // nodea held "door" at some epoch; nodeb took it over (a new epoch) and recorded from second 10 on.
        var leases = new LeaseStore(db);
        var old = await leases.ClaimAsync("nodea", "door", TimeSpan.FromMinutes(-1), takeExpired: true); // expired at once
        var taken = await leases.ClaimAsync("nodeb", "door", TimeSpan.FromMinutes(1), takeExpired: true);
        Assert.True(taken > old);
        var theirs = Segment("door", 10, 6, node: "nodeb", epoch: taken);
        var store = new RecordingStore(db, _time);
        var id = await store.InsertOpenAsync(theirs.Recording with { EndTime = null });
        await store.CompleteAsync(id, theirs.Recording.EndTime!.Value, 100, 640, 360, 25, "h264");

        var before = Segment("door", 0, 6, epoch: old);
        var during = Segment("door", 12, 6, epoch: old);
        rows.TryAdd(before);
        rows.TryAdd(during);
        Assert.Equal(2, await replay.DrainAsync());

        var listed = await RowsAsync(db);
        Assert.Equal([("nodea", 0L), ("nodeb", 10L)],
            listed.Select(r => (r.Node, r.Start - new DateTimeOffset(T0, TimeSpan.Zero).ToUnixTimeSeconds())));
        Assert.True(File.Exists(before.Recording.FilePath));
        Assert.False(File.Exists(during.Recording.FilePath));
    }
}
