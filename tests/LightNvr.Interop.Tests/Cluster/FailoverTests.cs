using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using LightNvr.Data;
using LightNvr.Interop.Tests.Server;
using LightNvr.Interop.Tests.Support;
using LightNvr.Testing;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.Cluster;

/// <summary>
/// Recorder nodes as separate server processes (the real <c>lightnvr.dll</c>, own ports and storage folders) on one
/// real PostgreSQL (Debian's, started by <see cref="PostgresServer"/>), recording real GStreamer cameras
/// (docs/scale.md "Demonstration"). One node is killed with SIGKILL: its cameras must record on the others within
/// 30 s; it is restarted: the leases rebalance. Throughout, no camera may have two rows from different nodes whose
/// times overlap (no segment recorded twice). The gap per camera is printed (docs/scale.md has the figures).
/// </summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>The take-over bound the issue sets.</summary>
    private static readonly TimeSpan MaxTakeOver = TimeSpan.FromSeconds(30);

    [Fact]
    public Task Two_nodes_four_cameras_kill_one_then_bring_it_back() => RunAsync(nodes: 2, cameras: 4, heartbeat: 2, ttl: 6);

    [ScaleDemoFact]
    public Task Three_nodes_twelve_cameras_kill_one_then_bring_it_back() => RunAsync(nodes: 3, cameras: 12, heartbeat: 5, ttl: 15);

    private async Task RunAsync(int nodes, int cameras, int heartbeat, int ttl)
    {
        var connection = await PostgresServer.CreateDatabaseAsync();
        await using var db = Database.Postgresql(connection);
        await db.MigrateAsync(TimeProvider.System);
        var gst = new List<GstCamera>();
        var servers = new ServerProcess?[nodes];
        var folders = Enumerable.Range(0, nodes).Select(_ => Path.Combine(Path.GetTempPath(), "lightnvr-node-" + Guid.NewGuid().ToString("N")[..10])).ToArray();
        var ports = Enumerable.Range(0, nodes).Select(_ => FreePort.Next()).ToArray();
        try
        {
            var streams = new StreamStore(db);
            for (var i = 0; i < cameras; i++)
            {
                var camera = GstCamera.Start(new GstCameraOptions { Width = 320, Height = 180, Fps = 5, Gop = 5, Audio = "none" });
                gst.Add(camera);
                await streams.InsertAsync(new StreamConfig { Name = $"cam{i + 1:00}", Url = camera.Url, SegmentDuration = 6 });
            }

            for (var n = 0; n < nodes; n++)
            {
                Directory.CreateDirectory(folders[n]);
                await File.WriteAllTextAsync(Path.Combine(folders[n], "lightnvr.ini"), new ClusterNodeIni(NodeId(n), ports[n], connection) { ApiUrl = false, Heartbeat = heartbeat, LeaseTtl = ttl }.ToString());
                servers[n] = Start(folders[n], ports[n]);
            }
            foreach (var server in servers)
            {
                await ClusterWait.HealthyAsync(server!);
            }

            // 1. Balanced: every camera leased, each node its share, and each camera recording on its holder.
            var share = (int)Math.Ceiling(cameras / (double)nodes);
            await ClusterWait.UntilAsync("leases balanced", TimeSpan.FromSeconds(120), async () =>
            {
                var leases = (await new LeaseStore(db).ListLeasesAsync()).Where(l => l.Valid).ToList();
                return leases.Count == cameras && leases.GroupBy(l => l.NodeId).All(g => g.Count() <= share)
                    && leases.Select(l => l.NodeId).Distinct().Count() == nodes;
            });
            await ClusterWait.UntilAsync("every camera recording", TimeSpan.FromSeconds(120), async () =>
                (await RowsAsync(db)).Where(r => r.IsComplete).Select(r => r.StreamName).Distinct().Count() == cameras);

            // Any node's /api/system lists every node with the cameras it holds.
            using (var request = new HttpRequestMessage(HttpMethod.Get, servers[nodes - 1]!.BaseUrl + "/api/system"))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                    Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:test-Password-1")));
                using var response = await Http.SendAsync(request);
                Assert.True(response.IsSuccessStatusCode, $"/api/system: {response.StatusCode}\n" + servers[nodes - 1]!.Stderr
                    + (File.Exists(servers[nodes - 1]!.LogFile) ? File.ReadAllText(servers[nodes - 1]!.LogFile)[^Math.Min(4000, new FileInfo(servers[nodes - 1]!.LogFile).Length is var n ? (int)n : 0)..] : ""));
                using var doc = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                var listed = doc.RootElement.GetProperty("nodes").EnumerateArray().ToList();
                Assert.Equal(nodes, listed.Count);
                Assert.All(listed, n => Assert.True(n.GetProperty("healthy").GetBoolean()));
                Assert.Equal(cameras, listed.Sum(n => n.GetProperty("camera_count").GetInt32()));
                // where the other nodes relay its cameras' live view from: its own RTSP port (docs/scale.md)
                Assert.All(listed, n => Assert.Matches(@"^rtsp://[^/@]+:\d+$", n.GetProperty("rtsp_address").GetString()));
            }

            // 2. kill -9 the first node: its cameras must record on the others within 30 s.
            var victim = NodeId(0);
            var theirs = (await new LeaseStore(db).ListLeasesAsync()).Where(l => l.NodeId == victim).Select(l => l.StreamName).ToList();
            var killedAt = DateTimeOffset.UtcNow;
            servers[0]!.Process.Kill();
            servers[0]!.WaitForExit(TimeSpan.FromSeconds(10));
            var taken = new Dictionary<string, TimeSpan>();
            var clock = Stopwatch.StartNew();
            await ClusterWait.UntilAsync("the killed node's cameras recording elsewhere", TimeSpan.FromSeconds(90), async () =>
            {
                var rows = await RowsAsync(db);
                foreach (var stream in theirs.Where(s => !taken.ContainsKey(s)))
                {
                    if (rows.FirstOrDefault(r => r.StreamName == stream && r.NodeId != victim && r.StartTime >= killedAt.AddSeconds(-1)) is { } first)
                    {
                        taken[stream] = first.StartTime - killedAt;
                    }
                }
                return taken.Count == theirs.Count;
            });
            foreach (var (stream, gap) in taken.OrderBy(t => t.Key))
            {
                output.WriteLine(FormattableString.Invariant($"{stream}: kill → first segment on another node {gap.TotalSeconds:0} s"));
            }
            output.WriteLine(FormattableString.Invariant(
                $"take-over: {theirs.Count} cameras, max {taken.Values.Max().TotalSeconds:0} s, mean {taken.Values.Average(t => t.TotalSeconds):0.0} s (heartbeat {heartbeat} s, lease {ttl} s)"));
            Assert.All(taken.Values, gap => Assert.True(gap <= MaxTakeOver, $"take-over took {gap}"));

            // 3. Restart it: it takes its share back, gently (only what the others release), without double recording.
            servers[0]!.Dispose();
            var restartedAt = DateTimeOffset.UtcNow;
            servers[0] = Start(folders[0], ports[0]);
            await ClusterWait.HealthyAsync(servers[0]!);
            await ClusterWait.UntilAsync("the restarted node recording its share again", TimeSpan.FromSeconds(180), async () =>
            {
                var leases = (await new LeaseStore(db).ListLeasesAsync()).Where(l => l.Valid).ToList();
                var mine = leases.Where(l => l.NodeId == victim).Select(l => l.StreamName).ToHashSet();
                var rows = await RowsAsync(db);
                return mine.Count >= cameras / nodes && leases.GroupBy(l => l.NodeId).All(g => g.Count() <= share)
                    && mine.All(s => rows.Any(r => r.StreamName == s && r.NodeId == victim && r.StartTime > restartedAt));
            });
            output.WriteLine(FormattableString.Invariant($"rebalanced {(DateTimeOffset.UtcNow - restartedAt).TotalSeconds:0} s after the restart"));

            // 4. Stop every node gracefully (rows completed), then: no camera recorded twice at once by two nodes.
            foreach (var server in servers)
            {
                server!.Signal("TERM");
                Assert.True(server.WaitForExit(TimeSpan.FromSeconds(60)), "a node did not stop: " + server.Stderr);
            }
            var all = await RowsAsync(db);
            var overlaps = new List<string>();
            foreach (var camera in all.GroupBy(r => r.StreamName))
            {
                var ordered = camera.Where(r => r.EndTime is not null).OrderBy(r => r.StartTime).ToList();
                for (var i = 1; i < ordered.Count; i++)
                {
                    // Row times are whole seconds: touching segments may share one second.
                    if (ordered[i].NodeId != ordered[i - 1].NodeId && ordered[i - 1].EndTime > ordered[i].StartTime.AddSeconds(1))
                    {
                        overlaps.Add($"{camera.Key}: {ordered[i - 1].NodeId} until {ordered[i - 1].EndTime:T}, {ordered[i].NodeId} from {ordered[i].StartTime:T}");
                    }
                }
            }
            output.WriteLine($"{all.Count} rows, {all.Select(r => r.NodeId).Distinct().Count()} nodes, {all.Count(r => !r.IsComplete)} incomplete");
            Assert.Empty(overlaps);
            Assert.All(all, r => Assert.StartsWith("node", r.NodeId, StringComparison.Ordinal));
        }
        finally
        {
            ClusterWait.StopAndDelete(servers, folders);
            foreach (var camera in gst)
            {
                camera.Dispose();
            }
        }
    }

    private static string NodeId(int n) => $"node{(char)('a' + n)}";

    private static ServerProcess Start(string folder, int port) =>
        ServerProcess.Launch(folder, port, ["-c", Path.Combine(folder, "lightnvr.ini")]);

    private static async Task<IReadOnlyList<RecordingRecord>> RowsAsync(Database db)
    {
        await using var connection = await db.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT stream_name, node_id, start_time, end_time, is_complete FROM recordings ORDER BY start_time, id";
        var rows = new List<RecordingRecord>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new RecordingRecord
            {
                StreamName = reader.GetString(0),
                FilePath = "",
                NodeId = reader.GetString(1),
                StartTime = DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(2)),
                EndTime = reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(3)),
                IsComplete = reader.GetInt64(4) == 1,
            });
        }
        return rows;
    }
}
