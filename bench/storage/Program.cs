using LightNvr.Bench.Storage;

// dotnet run -c Release --project bench/storage -- [all | list [rows] | list-pg [rows] | export [seconds] | sweep [files]]
// list-pg: the same rows and list queries on SQLite and PostgreSQL side by side (BENCH_PG = connection string, else a
// server of its own through LightNvr.Testing's PostgresServer).
var mode = args.Length > 0 ? args[0] : "all";
// BENCH_KEEP_DIR=folder: work there and keep the database afterwards (to inspect plans with sqlite3).
var keep = Environment.GetEnvironmentVariable("BENCH_KEEP_DIR");
var work = keep ?? Path.Combine(Path.GetTempPath(), "lightnvr-bench-storage-" + Environment.ProcessId);
Directory.CreateDirectory(work);
try
{
    if (mode is "list" or "all")
    {
        var rows = args.Length > 1 && mode == "list" ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
        await ListBench.RunAsync(work, rows);
    }
    if (mode is "list-pg")
    {
        var rows = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
        await PostgresListBench.RunAsync(work, rows);
    }
    if (mode is "export" or "all")
    {
        var seconds = args.Length > 1 && mode == "export" ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 120;
        await ExportBench.RunAsync(work, seconds);
    }
    if (mode is "sweep" or "all")
    {
        var files = args.Length > 1 && mode == "sweep" ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        await SweepBench.RunAsync(work, files);
    }
    return 0;
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    if (keep is null)
    {
        Directory.Delete(work, recursive: true);
    }
}
