using System.Diagnostics;
using LightNvr.Data;

namespace LightNvr.Bench.Storage;

/// <summary>
/// Fills a temp database with N recording rows (8 streams, 60 s segments back to back, 1 % protected, 2 % tagged car,
/// 0.01 % tagged night,
/// 5 % motion-triggered; one transaction) and times <see cref="RecordingStore.ListAsync"/> for the list queries the UI
/// makes: median and p95 over <see cref="Runs"/> runs each, after a warm-up.
/// </summary>
internal static class ListBench
{
    private const int Runs = 200;
    internal const int Streams = 8;

    public static async Task RunAsync(string work, int rows)
    {
        var database = new Database(Path.Combine(work, "bench.db"));
        await database.MigrateAsync(TimeProvider.System);
        var fill = Stopwatch.StartNew();
        var lastStart = await FillAsync(database, rows);
        Console.WriteLine($"list: filled {rows:N0} rows in {fill.Elapsed.TotalSeconds:F1} s; db {new FileInfo(database.Path).Length / 1048576.0:F0} MB");
        var results = await TimeQueriesAsync(database, lastStart);
        Console.WriteLine("| query | total | median ms | p95 ms |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var r in results)
        {
            Console.WriteLine($"| {r.Name} | {r.Total:N0} | {r.Median:F2} | {r.P95:F2} |");
        }
    }

    /// <summary>The list queries the UI makes, on a filled database: (name, total, median ms, p95 ms) each.</summary>
    internal static async Task<List<(string Name, long Total, double Median, double P95)>> TimeQueriesAsync(Database database, long lastStart)
    {
        var store = new RecordingStore(database, TimeProvider.System);
        var day = TimeSpan.FromDays(1);
        var end = DateTimeOffset.FromUnixTimeSeconds(lastStart);
        var queries = new (string Name, RecordingQuery Query)[]
        {
            ("all streams, page 1 (20)", new RecordingQuery()),
            ("one stream, page 1", new RecordingQuery { Streams = ["cam3"] }),
            ("two streams, page 1", new RecordingQuery { Streams = ["cam1", "cam5"] }),
            ("one stream, last day", new RecordingQuery { Streams = ["cam3"], Start = end - day, End = end }),
            ("all streams, one day a month ago", new RecordingQuery { Start = end - (31 * day), End = end - (30 * day) }),
            ("all streams, page 50", new RecordingQuery { Page = 50 }),
            ("one stream, page 100 of 100", new RecordingQuery { Streams = ["cam3"], Page = 100, PageSize = 100 }),
            ("protected=1", new RecordingQuery { Protected = true }),
            ("tag=car", new RecordingQuery { Tags = ["car"] }),
            ("tag=car, one stream", new RecordingQuery { Tags = ["car"], Streams = ["cam3"] }),
            ("tag=car, page 50", new RecordingQuery { Tags = ["car"], Page = 50 }),
            ("tag=car, last day", new RecordingQuery { Tags = ["car"], Start = end - day, End = end }),
            ("tag=night (0.01 %)", new RecordingQuery { Tags = ["night"] }),
            ("tag=car or night", new RecordingQuery { Tags = ["car", "night"] }),
            ("tag=car or night, page 50", new RecordingQuery { Tags = ["car", "night"], Page = 50 }),
            ("capture_method=motion, one stream", new RecordingQuery { Streams = ["cam2"], CaptureMethods = ["motion"] }),
            ("sort=size_bytes asc, one stream, last day", new RecordingQuery
            {
                Streams = ["cam3"], Start = end - day, End = end, Sort = RecordingSort.SizeBytes, Ascending = true,
            }),
        };
        var results = new List<(string, long, double, double)>();
        foreach (var (name, query) in queries)
        {
            var page = await store.ListAsync(query);
            for (var i = 0; i < 5; i++)
            {
                await store.ListAsync(query);
            }
            var times = new double[Runs];
            for (var i = 0; i < Runs; i++)
            {
                var sw = Stopwatch.StartNew();
                await store.ListAsync(query);
                times[i] = sw.Elapsed.TotalMilliseconds;
            }
            Array.Sort(times);
            results.Add((name, page.Total, times[Runs / 2], times[(int)(Runs * 0.95)]));
        }
        return results;
    }

    internal static async Task<long> FillAsync(Database database, int rows)
    {
        await using var connection = await database.OpenSqliteAsync();
        await using var tx = (Microsoft.Data.Sqlite.SqliteTransaction)await connection.BeginTransactionAsync();
        using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO recordings (stream_name, file_path, start_time, end_time, size_bytes, width, height, fps, " +
            "codec, is_complete, created_at, trigger_type, protected) VALUES ($s, $f, $st, $e, $size, 1280, 720, 15, 'h264', 1, $st, $t, $p)";
        var pS = insert.Parameters.Add("$s", Microsoft.Data.Sqlite.SqliteType.Text);
        var pF = insert.Parameters.Add("$f", Microsoft.Data.Sqlite.SqliteType.Text);
        var pSt = insert.Parameters.Add("$st", Microsoft.Data.Sqlite.SqliteType.Integer);
        var pE = insert.Parameters.Add("$e", Microsoft.Data.Sqlite.SqliteType.Integer);
        var pSize = insert.Parameters.Add("$size", Microsoft.Data.Sqlite.SqliteType.Integer);
        var pT = insert.Parameters.Add("$t", Microsoft.Data.Sqlite.SqliteType.Text);
        var pP = insert.Parameters.Add("$p", Microsoft.Data.Sqlite.SqliteType.Integer);
        using var tag = connection.CreateCommand();
        tag.Transaction = tx;
        tag.CommandText = "INSERT INTO recording_tags (recording_id, tag) VALUES (last_insert_rowid(), 'car')";
        using var rare = connection.CreateCommand();
        rare.Transaction = tx;
        // Not last_insert_rowid(): after a 'car' row it names that tag row, and the night tag landed on another
        // recording (the PostgreSQL side of list-pg counted the two recordings that carry both tags once, SQLite twice).
        rare.CommandText = "INSERT INTO recording_tags (recording_id, tag) VALUES ((SELECT MAX(id) FROM recordings), 'night')";
        const long start = 1_700_000_000;
        long last = 0;
        var random = new Random(42);
        for (var i = 0; i < rows; i++)
        {
            var stream = i % Streams;
            var t = start + (i / Streams * 60L);
            pS.Value = "cam" + stream;
            pF.Value = $"/var/lib/lightnvr/recordings/mp4/cam{stream}/recording_{t}.mp4";
            pSt.Value = t;
            pE.Value = t + 60;
            pSize.Value = 3_000_000 + random.Next(1_000_000);
            pT.Value = random.Next(100) < 5 ? "motion" : "scheduled";
            pP.Value = random.Next(100) == 0 ? 1 : 0;
            await insert.ExecuteNonQueryAsync();
            if (random.Next(100) < 2)
            {
                await tag.ExecuteNonQueryAsync();
            }
            if (i % 10_000 == 7)
            {
                await rare.ExecuteNonQueryAsync();
            }
            last = t;
        }
        await tx.CommitAsync();
        using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE";
        await analyze.ExecuteNonQueryAsync();
        return last;
    }
}
