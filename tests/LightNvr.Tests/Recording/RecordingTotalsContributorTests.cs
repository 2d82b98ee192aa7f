using LightNvr.Data;
using LightNvr.Health;
using LightNvr.Recording;
using LightNvr.Testing;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Recording;

public sealed class RecordingTotalsContributorTests : IDisposable
{
    private readonly TempFolder _dir = new("totals");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Counts_complete_rows_and_their_bytes_and_refreshes_only_when_stale()
    {
        var clock = new TestClock();
        var database = new Database(_dir.File("lightnvr.db"));
        await database.MigrateAsync(clock);
        await InsertAsync(database, "a", 1000, complete: true);
        await InsertAsync(database, "a", 2500, complete: true);
        await InsertAsync(database, "b", 700, complete: false); // the open segment: not listed, not counted
        var totals = new RecordingTotalsContributor(new RecordingStore(database, clock), clock, NullLogger<RecordingTotalsContributor>.Instance);

        await totals.RefreshAsync();
        var report = new HealthReport();
        totals.Contribute(report);
        Assert.Equal(2, report.RecordingCount);
        Assert.Equal(3500, report.RecordingBytes);

        // A new row shows only after MaxAge: health requests never wait for the database.
        await InsertAsync(database, "b", 500, complete: true);
        var cached = new HealthReport();
        totals.Contribute(cached);
        Assert.Equal(2, cached.RecordingCount);
        clock.Advance(RecordingTotalsContributor.MaxAge + TimeSpan.FromSeconds(1));
        totals.Contribute(new HealthReport()); // starts the background refresh
        var deadline = Environment.TickCount64 + 30_000; // generous: the refresh runs on the thread pool of a loaded 2-core box
        HealthReport fresh;
        do
        {
            await Task.Delay(20);
            fresh = new HealthReport();
            totals.Contribute(fresh);
        }
        while (fresh.RecordingCount != 3 && Environment.TickCount64 < deadline);
        Assert.Equal(3, fresh.RecordingCount);
        Assert.Equal(4000, fresh.RecordingBytes);
    }

    private static async Task InsertAsync(Database database, string stream, long size, bool complete)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO recordings (stream_name, file_path, start_time, end_time, size_bytes, is_complete) " +
            "VALUES ($s, $p, 1700000000, $e, $size, $c)";
        command.Parameters.AddWithValue("$s", stream);
        command.Parameters.AddWithValue("$p", $"/tmp/{stream}/{Guid.NewGuid():N}.mp4");
        command.Parameters.AddWithValue("$e", complete ? 1700000060 : DBNull.Value);
        command.Parameters.AddWithValue("$size", size);
        command.Parameters.AddWithValue("$c", complete ? 1 : 0);
        await command.ExecuteNonQueryAsync();
    }
}
