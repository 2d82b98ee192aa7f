using System.Diagnostics;
using System.Globalization;
using LightNvr.Data;
using LightNvr.Interop.Tests.Live;
using LightNvr.Interop.Tests.Server;
using LightNvr.Interop.Tests.Support;
using LightNvr.Testing;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.Cluster;

/// <summary>
/// Recording through a database outage (docs/scale.md): a real server process on its own real PostgreSQL
/// (<see cref="PostgresCluster"/>) records a GStreamer camera in 2 s segments; PostgreSQL is stopped
/// (<c>pg_ctl stop -m fast</c>) for a while and started again on the same port. Recording must go on through the outage
/// (new segment files that ffprobe reads), the node keeps its lease, the queued rows are written when the database is
/// back, and at the end every segment file on disk has exactly one complete row and every row its file, the rows
/// meeting without a gap. The figures are printed (docs/scale.md has them).
/// </summary>
public sealed class DatabaseOutageTests(ITestOutputHelper output)
{
    [Fact]
    public Task Recording_goes_on_through_a_15_s_PostgreSQL_stop_and_every_segment_gets_its_row() => RunAsync(TimeSpan.FromSeconds(15));

    [ScaleDemoFact]
    public Task Recording_goes_on_through_a_60_s_PostgreSQL_stop_and_every_segment_gets_its_row() => RunAsync(TimeSpan.FromSeconds(60));

    private async Task RunAsync(TimeSpan outage)
    {
        await using var postgres = await PostgresCluster.StartAsync();
        using var camera = GstCamera.Start(new GstCameraOptions { Width = 320, Height = 180, Fps = 5, Gop = 5, Audio = "none" });
        await using (var setup = Database.Postgresql(postgres.ConnectionString))
        {
            await setup.MigrateAsync(TimeProvider.System);
            await new StreamStore(setup).InsertAsync(new StreamConfig { Name = "cam", Url = camera.Url, SegmentDuration = 2 });
        }

        var folder = Path.Combine(Path.GetTempPath(), "lightnvr-outage-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(folder);
        var port = FreePort.Next();
        await File.WriteAllTextAsync(Path.Combine(folder, "lightnvr.ini"), new ClusterNodeIni("outage", port, postgres.ConnectionString) { ApiUrl = false, PoolSize = 5 }.ToString());
        var server = ServerProcess.Launch(folder, port, ["-c", Path.Combine(folder, "lightnvr.ini")], ownsFolder: true);
        try
        {
            await ClusterWait.HealthyAsync(server);
            await ClusterWait.UntilAsync("recording", TimeSpan.FromSeconds(90), async () => (await RowsAsync(postgres)).Count(r => r.Complete) >= 2);

            // The outage.
            var before = SegmentFiles(folder).Count;
            var stoppedAt = Stopwatch.StartNew();
            await postgres.StopAsync();
            var stopTook = stoppedAt.Elapsed;
            await Task.Delay(outage - stopTook > TimeSpan.Zero ? outage - stopTook : TimeSpan.Zero);
            var during = SegmentFiles(folder).Skip(before).ToList();
            var journal = Directory.GetFiles(Path.Combine(folder, "recordings", ".pending-rows"), "*.jsonl").Single();
            var queued = File.ReadAllLines(journal).Length;
            Assert.False(server.Process.HasExited, "the node exited during the outage: " + server.Stderr);
            await postgres.StartAgainAsync();
            var down = stoppedAt.Elapsed;
            var back = Stopwatch.StartNew();

            // Back: the queue drains (the replay runs every 5 s) and the node still holds its lease.
            await ClusterWait.UntilAsync("the queue written", TimeSpan.FromSeconds(60), () => Task.FromResult(File.ReadAllText(journal).Length == 0));
            var drained = back.Elapsed;

            // Recording went on: segments kept arriving, and ffprobe reads each one closed during the outage.
            var closedDuring = during.Take(Math.Max(0, during.Count - 1)).ToList(); // the last one was still open
            Assert.True(closedDuring.Count >= outage.TotalSeconds / 2 - 3,
                $"{closedDuring.Count} segments in a {outage.TotalSeconds} s outage with 2 s segments");
            Assert.True(queued >= closedDuring.Count - 1, $"journal {queued} lines, {closedDuring.Count} segments closed");
            foreach (var file in closedDuring)
            {
                var (exit, duration, err) = await MediaProbe.RunAsync("ffprobe", TimeSpan.FromSeconds(30), "-v", "error",
                    "-show_entries", "format=duration", "-of", "csv=p=0", file);
                Assert.True(exit == 0 && double.Parse(duration.Trim(), CultureInfo.InvariantCulture) > 1, $"{file}: {duration} {err}");
            }

            await using (var db = Database.Postgresql(postgres.ConnectionString))
            {
                var leases = await new LeaseStore(db).ListLeasesAsync();
                Assert.Equal("outage", Assert.Single(leases).NodeId);
            }
            await ClusterWait.UntilAsync("recording after the outage", TimeSpan.FromSeconds(30), async () =>
                (await RowsAsync(postgres)).Any(r => r.Start > DateTimeOffset.UtcNow.AddSeconds(-6).ToUnixTimeSeconds()));

            server.Signal("TERM");
            Assert.True(server.WaitForExit(TimeSpan.FromSeconds(60)), "the node did not stop: " + server.Stderr);
            Assert.True(server.Process.ExitCode == 0, $"exit code {server.Process.ExitCode}: {server.Stderr}");

            // Every file its row, every row its file, once; complete, and meeting without a gap.
            var rows = await RowsAsync(postgres);
            var files = SegmentFiles(folder).ToHashSet(StringComparer.Ordinal);
            var listed = rows.Select(r => Path.GetFullPath(r.Path, Path.Combine(folder))).ToList();
            Assert.Equal(listed.Count, listed.Distinct(StringComparer.Ordinal).Count());
            Assert.Empty(files.Except(listed));
            Assert.Empty(listed.Except(files));
            Assert.All(rows, r => Assert.True(r.Complete && r.End is not null, r.Path));
            var gaps = rows.Zip(rows.Skip(1), (a, b) => b.Start - a.End!.Value).ToList();
            var maxGap = gaps.Max();
            output.WriteLine(FormattableString.Invariant(
                $"outage {down.TotalSeconds:0.0} s (pg_ctl stop {stopTook.TotalSeconds:0.0} s): {closedDuring.Count} segments closed meanwhile, {queued} rows queued; queue written {drained.TotalSeconds:0.0} s after the start; {rows.Count} rows = {files.Count} files, largest gap between rows {maxGap} s"));
            Assert.True(maxGap <= 1, $"a gap of {maxGap} s between rows");
        }
        finally
        {
            server.Dispose();
        }
    }

    /// <summary>Segment files under the node's folder, oldest first (names carry the start time).</summary>
    private static List<string> SegmentFiles(string folder) =>
        Directory.EnumerateFiles(folder, "recording_*.mp4", SearchOption.AllDirectories)
            .OrderBy(Path.GetFileName, StringComparer.Ordinal).ToList();

    private static async Task<List<(string Path, long Start, long? End, bool Complete)>> RowsAsync(PostgresCluster postgres)
    {
        await using var db = Database.Postgresql(postgres.ConnectionString);
        await using var connection = await db.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT file_path, start_time, end_time, is_complete FROM recordings ORDER BY start_time, id";
        var rows = new List<(string, long, long?, bool)>();
        using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.GetInt64(3) == 1));
        }
        return rows;
    }
}
