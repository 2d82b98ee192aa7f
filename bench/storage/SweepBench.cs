using System.Diagnostics;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Hosting;
using LightNvr.Recording;
using LightNvr.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Bench.Storage;

/// <summary>
/// A retention sweep over N expired files while the API and the recorders use the database. Builds a real storage
/// folder with N small files (8 streams, 4 KB each, 40 days old) and their rows, plus <see cref="RecentRows"/> rows of
/// the last days that retention keeps, then measures two phases of equal load: without a sweep for
/// <see cref="BaselineSeconds"/>, and during one <see cref="StorageService.SweepAsync"/> (the storage manager's own
/// pass: <see cref="RetentionSweep"/>, <see cref="RecordingFiles"/>, <see cref="RetentionStore"/> and their batching).
/// Load: an API loop lists page 1 of all streams and page 1 of one stream with their tags, as GET /api/recordings
/// does, every <see cref="ApiPauseMs"/> ms; <see cref="Recorders"/> recorder loops each insert an open segment, update
/// its size every second and complete it after <see cref="SegmentUpdates"/> updates. Every call's latency is kept.
/// </summary>
internal static class SweepBench
{
    private const int Streams = 8;
    private const int RecentRows = 100_000;
    private const int Recorders = 8;
    private const int SegmentUpdates = 10;
    private const int ApiPauseMs = 10;
    private const int BaselineSeconds = 20;
    private const int FileBytes = 4096;

    public static async Task RunAsync(string work, int files)
    {
        var storage = Path.Combine(work, "storage");
        var config = new LightNvrConfig
        {
            Storage = new StorageOptions
            {
                Path = storage, Mp4Path = Path.Combine(storage, "mp4"), RetentionDays = 30, AutoDeleteOldest = false,
            },
        };
        var database = new Database(Path.Combine(work, "sweep.db"));
        await database.MigrateAsync(TimeProvider.System);
        var fill = Stopwatch.StartNew();
        await FillAsync(database, config.Storage.Mp4Path, files);
        Console.WriteLine($"sweep: {files:N0} expired files + rows and {RecentRows:N0} recent rows in {fill.Elapsed.TotalSeconds:F1} s");

        var time = TimeProvider.System;
        var recordings = new RecordingStore(database, time);
        var tags = new RecordingTagStore(database, time);
        var root = new StorageRoot(config.Storage);
        var retention = new RetentionStore(database, time);
        var deleter = new RecordingFiles(recordings, retention, new RecordingFileLocator(root), NullLogger<RecordingFiles>.Instance);
        var sweep = new RetentionSweep(retention, deleter, new StreamStore(database), root, new DriveDiskSpaceProbe(), new ConfigSnapshots(config).Storage, time,
            new DetectionPurge(new EventStore(database), new DetectionStore(database), root));
        var disk = new DriveDiskSpaceProbe();
        using var service = new StorageService(sweep, deleter, new StorageStatsStore(database), retention, disk, root,
            new ConfigSnapshots(config).Storage, new ShutdownCoordinator(time, NullLogger<ShutdownCoordinator>.Instance), time,
            NullLogger<StorageService>.Instance);

        var idle = await MeasureAsync(recordings, tags, config.Storage.Mp4Path, _ => Task.Delay(TimeSpan.FromSeconds(BaselineSeconds)));
        SweepResult? result = null;
        var wall = Stopwatch.StartNew();
        var busy = await MeasureAsync(recordings, tags, config.Storage.Mp4Path, async ct =>
        {
            wall.Restart();
            result = await service.SweepAsync(aggressive: false, ct);
            wall.Stop();
        });
        var left = Directory.EnumerateFiles(config.Storage.Mp4Path, "*", SearchOption.AllDirectories).Count(f => f.Contains("/old_", StringComparison.Ordinal));
        Console.WriteLine($"sweep: deleted {result!.Deleted:N0} recordings ({result.FreedBytes / 1048576.0:F0} MB) in {wall.Elapsed.TotalSeconds:F1} s " +
            $"= {result.Deleted / wall.Elapsed.TotalSeconds:N0} files/s; expired files left: {left}");
        Console.WriteLine("| load | calls (no sweep / sweep) | median ms | p99 ms | max ms | during sweep: median | p99 | max |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        Row("API list (page + total + tags)", idle.Api, busy.Api);
        Row("recorder write (insert / size / complete)", idle.Writes, busy.Writes);
        Console.WriteLine($"slowest recorder writes during the sweep: {string.Join(", ", busy.Writes.TakeLast(3).Select(v => v.ToString("F0")))} ms; " +
            $"over 50 ms: {busy.Writes.Count(v => v > 50)} (without: {idle.Writes.Count(v => v > 50)})");
    }

    private static void Row(string name, List<double> idle, List<double> busy)
    {
        idle.Sort();
        busy.Sort();
        Console.WriteLine($"| {name} | {idle.Count:N0} / {busy.Count:N0} | {Q(idle, 0.5):F2} | {Q(idle, 0.99):F1} | {idle[^1]:F1} | " +
            $"{Q(busy, 0.5):F2} | {Q(busy, 0.99):F1} | {busy[^1]:F1} |");
    }

    private static double Q(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * q))];

    /// <summary>Runs the API loop and the recorder loops until <paramref name="phase"/> returns.</summary>
    private static async Task<(List<double> Api, List<double> Writes)> MeasureAsync(RecordingStore recordings, RecordingTagStore tags,
        string folder, Func<CancellationToken, Task> phase)
    {
        using var stop = new CancellationTokenSource();
        var api = new List<double>();
        var writes = new List<double>[Recorders];
        var apiLoop = Task.Run(() => ApiLoopAsync(recordings, tags, api, stop.Token));
        var recorderLoops = Enumerable.Range(0, Recorders).Select(i =>
        {
            writes[i] = [];
            return Task.Run(() => RecorderLoopAsync(recordings, folder, i, writes[i], stop.Token));
        }).ToArray();
        await phase(CancellationToken.None);
        await stop.CancelAsync();
        await apiLoop;
        await Task.WhenAll(recorderLoops);
        return (api, writes.SelectMany(w => w).ToList());
    }

    private static async Task ApiLoopAsync(RecordingStore recordings, RecordingTagStore tags, List<double> latencies, CancellationToken ct)
    {
        RecordingQuery[] queries = [new RecordingQuery(), new RecordingQuery { Streams = ["cam3"] }];
        for (var i = 0; !ct.IsCancellationRequested; i++)
        {
            var sw = Stopwatch.StartNew();
            var page = await recordings.ListAsync(queries[i % queries.Length]);
            await tags.GetForAsync(page.Items.Select(r => r.Id).ToList());
            latencies.Add(sw.Elapsed.TotalMilliseconds);
            await Delay(ApiPauseMs, ct);
        }
    }

    /// <summary>A recorder's writes: open row once the file exists, size once a second, then complete.</summary>
    private static async Task RecorderLoopAsync(RecordingStore recordings, string folder, int camera, List<double> latencies,
        CancellationToken ct)
    {
        var stream = "live" + camera;
        Directory.CreateDirectory(Path.Combine(folder, stream));
        await Delay(camera * 1000 / Recorders, ct); // cameras out of phase
        while (!ct.IsCancellationRequested)
        {
            var start = TimeProvider.System.GetUtcNow();
            var path = Path.Combine(folder, stream, $"rec_{start.ToUnixTimeMilliseconds()}.mp4");
            await File.WriteAllBytesAsync(path, new byte[FileBytes], CancellationToken.None);
            var sw = Stopwatch.StartNew();
            var id = await recordings.InsertOpenAsync(new RecordingRecord
            {
                StreamName = stream, FilePath = path, StartTime = start, Codec = "h264", TriggerType = "scheduled",
            });
            latencies.Add(sw.Elapsed.TotalMilliseconds);
            for (var n = 1; n <= SegmentUpdates && !ct.IsCancellationRequested; n++)
            {
                await Delay(1000, ct);
                sw.Restart();
                await recordings.UpdateProgressAsync(id, n * 500_000L, null, isComplete: false);
                latencies.Add(sw.Elapsed.TotalMilliseconds);
            }
            sw.Restart();
            await recordings.CompleteAsync(id, TimeProvider.System.GetUtcNow(), (SegmentUpdates + 1) * 500_000L, 1280, 720, 15, "h264");
            latencies.Add(sw.Elapsed.TotalMilliseconds);
        }
    }

    private static async Task Delay(int ms, CancellationToken ct)
    {
        try
        {
            await Task.Delay(ms, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Expired rows with real files (40 days old, oldest first), then recent rows retention keeps (no files needed).</summary>
    private static async Task FillAsync(Database database, string folder, int files)
    {
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var content = new byte[FileBytes];
        await using var connection = await database.OpenSqliteAsync();
        await using var tx = (Microsoft.Data.Sqlite.SqliteTransaction)await connection.BeginTransactionAsync();
        using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO recordings (stream_name, file_path, start_time, end_time, size_bytes, width, height, fps, " +
            "codec, is_complete, created_at, trigger_type) VALUES ($s, $f, $st, $st + 60, $size, 1280, 720, 15, 'h264', 1, $st, 'scheduled')";
        var pS = insert.Parameters.Add("$s", Microsoft.Data.Sqlite.SqliteType.Text);
        var pF = insert.Parameters.Add("$f", Microsoft.Data.Sqlite.SqliteType.Text);
        var pSt = insert.Parameters.Add("$st", Microsoft.Data.Sqlite.SqliteType.Integer);
        var pSize = insert.Parameters.Add("$size", Microsoft.Data.Sqlite.SqliteType.Integer);
        for (var s = 0; s < Streams; s++)
        {
            Directory.CreateDirectory(Path.Combine(folder, "cam" + s));
        }
        var oldStart = now - (40 * 86400L);
        for (var i = 0; i < files + RecentRows; i++)
        {
            var old = i < files;
            var stream = "cam" + (i % Streams);
            var t = old ? oldStart + (i / Streams * 60L) : now - ((files + RecentRows - i) / Streams * 60L);
            var path = Path.Combine(folder, stream, (old ? "old_" : "new_") + t + ".mp4");
            if (old)
            {
                await File.WriteAllBytesAsync(path, content);
            }
            pS.Value = stream;
            pF.Value = path;
            pSt.Value = t;
            pSize.Value = old ? FileBytes : 3_000_000;
            await insert.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
        using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE";
        await analyze.ExecuteNonQueryAsync();
    }
}
