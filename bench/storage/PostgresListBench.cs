using System.Diagnostics;
using LightNvr.Data;
using LightNvr.Testing;
using Npgsql;
using NpgsqlTypes;

namespace LightNvr.Bench.Storage;

/// <summary>
/// The same N rows as <see cref="ListBench"/> (same generator, same seed: identical streams, times, sizes, triggers,
/// protected flags and tags) in SQLite and in PostgreSQL, then the same list queries timed on each through the same
/// <see cref="RecordingStore.ListAsync"/>; prints both and the ratio PostgreSQL / SQLite of the medians. PostgreSQL is
/// <c>BENCH_PG</c> (a connection string to an empty database) or else a server of its own started by
/// <see cref="PostgresServer"/> (Debian's binaries, on 127.0.0.1).
/// </summary>
internal static class PostgresListBench
{
    public static async Task RunAsync(string work, int rows)
    {
        var sqlite = new Database(Path.Combine(work, "bench.db"));
        await sqlite.MigrateAsync(TimeProvider.System);
        var given = Environment.GetEnvironmentVariable("BENCH_PG");
        var connection = new NpgsqlConnectionStringBuilder(given is { Length: > 0 } ? given : await PostgresServer.CreateDatabaseAsync())
        {
            CommandTimeout = 0, // the COPY of a million rows (and their count triggers) outlasts any default
        }.ConnectionString;
        await using var postgres = Database.Postgresql(connection);
        await postgres.MigrateAsync(TimeProvider.System);

        // Both fills at once (one is this process, the other the server): the same rows either way.
        var clock = Stopwatch.StartNew();
        var sqliteFill = Task.Run(async () =>
        {
            var last = await ListBench.FillAsync(sqlite, rows);
            Console.WriteLine($"list-pg: SQLite filled with {rows:N0} rows after {clock.Elapsed.TotalSeconds:F1} s");
            return last;
        });
        var pgFill = Task.Run(async () =>
        {
            var last = await FillAsync(postgres, rows);
            Console.WriteLine($"list-pg: PostgreSQL filled with {rows:N0} rows after {clock.Elapsed.TotalSeconds:F1} s ({await VersionAsync(postgres)})");
            return last;
        });
        var lastStart = await sqliteFill;
        if (await pgFill != lastStart)
        {
            throw new InvalidOperationException("the two fills differ");
        }

        var onSqlite = await ListBench.TimeQueriesAsync(sqlite, lastStart);
        var onPostgres = await ListBench.TimeQueriesAsync(postgres, lastStart);
        Console.WriteLine("| query | total | SQLite median | p95 | PostgreSQL median | p95 | PG / SQLite (median) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        for (var i = 0; i < onSqlite.Count; i++)
        {
            var (name, total, median, p95) = onSqlite[i];
            var pg = onPostgres[i];
            if (pg.Total != total)
            {
                throw new InvalidOperationException($"{name}: SQLite counts {total}, PostgreSQL {pg.Total}");
            }
            Console.WriteLine($"| {name} | {total:N0} | {median:F2} | {p95:F2} | {pg.Median:F2} | {pg.P95:F2} | {pg.Median / median:F1}× |");
        }
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>
/// <see cref="ListBench.FillAsync"/>'s rows by COPY (ids given, so the tags name the same rows), then ANALYZE and a
/// rewrite of the two count tables the fill bloated.
/// </summary>
    private static async Task<long> FillAsync(Database database, int rows)
    {
        await using var connection = (NpgsqlConnection)await database.OpenAsync();
        const long start = 1_700_000_000;
        long last = 0;
        var random = new Random(42);
        var car = new List<long>();
        var night = new List<long>();
        // One COPY (one transaction) per batch, as rows arrive in service: in a single transaction every row's count
        // trigger updates the same few recording_list_counts rows, whose dead versions cannot be pruned before the
        // commit, and the fill slows down with the square of the rows (a million rows did not finish in 33 min).
        const int batchRows = 10_000;
        for (var batch = 0; batch < rows; batch += batchRows)
        {
            await using (var copy = await connection.BeginBinaryImportAsync(
                "COPY recordings (id, stream_name, file_path, start_time, end_time, size_bytes, width, height, fps, codec, is_complete, " +
                "created_at, trigger_type, protected) FROM STDIN (FORMAT BINARY)"))
            {
                for (var i = batch; i < Math.Min(rows, batch + batchRows); i++)
                {
                    var stream = i % ListBench.Streams;
                    var t = start + (i / ListBench.Streams * 60L);
                    var id = i + 1L;
                    await copy.StartRowAsync();
                    await copy.WriteAsync(id, NpgsqlDbType.Bigint);
                    await copy.WriteAsync("cam" + stream, NpgsqlDbType.Text);
                    await copy.WriteAsync($"/var/lib/lightnvr/recordings/mp4/cam{stream}/recording_{t}.mp4", NpgsqlDbType.Text);
                    await copy.WriteAsync(t, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(t + 60, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(3_000_000L + random.Next(1_000_000), NpgsqlDbType.Bigint);
                    await copy.WriteAsync(1280L, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(720L, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(15L, NpgsqlDbType.Bigint);
                    await copy.WriteAsync("h264", NpgsqlDbType.Text);
                    await copy.WriteAsync(1L, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(t, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(random.Next(100) < 5 ? "motion" : "scheduled", NpgsqlDbType.Text);
                    await copy.WriteAsync(random.Next(100) == 0 ? 1L : 0L, NpgsqlDbType.Bigint);
                    if (random.Next(100) < 2)
                    {
                        car.Add(id);
                    }
                    if (i % 10_000 == 7)
                    {
                        night.Add(id);
                    }
                    last = t;
                }
                await copy.CompleteAsync();
            }
        }
        await using (var copy = await connection.BeginBinaryImportAsync("COPY recording_tags (recording_id, tag) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (ids, tag) in new[] { (car, "car"), (night, "night") })
            {
                foreach (var id in ids)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(id, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(tag, NpgsqlDbType.Text);
                }
            }
            await copy.CompleteAsync();
        }
        await using (var command = new NpgsqlCommand(
            "SELECT setval(pg_get_serial_sequence('recordings', 'id'), (SELECT MAX(id) FROM recordings)); ANALYZE", connection))
        {
            await command.ExecuteNonQueryAsync();
        }
        // Every row's count trigger wrote a new version of its stream's recording_list_counts row (and each tagged
        // row one of recording_tag_counts), 10,000 to a transaction that none could be pruned in: the 8 rows ended on
        // the last of ~5,400 pages (1 M rows), which VACUUM cannot truncate, and every unfiltered total scanned them all.
        // Rewriting the two small tables is what `db migrate` does after its batches too (DatabaseCopy). The service
        // writes one row a transaction; how small autovacuum keeps the tables under that was not measured (a burst of
        // 3,000 such rows in 2.4 s grew recording_list_counts from 1 page to 16 here).
        await using (var command = new NpgsqlCommand("VACUUM FULL recording_list_counts, recording_tag_counts", connection))
        {
            await command.ExecuteNonQueryAsync();
        }
        return last;
    }

    private static async Task<string> VersionAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SHOW server_version";
        return "PostgreSQL " + await command.ExecuteScalarAsync();
    }
}
