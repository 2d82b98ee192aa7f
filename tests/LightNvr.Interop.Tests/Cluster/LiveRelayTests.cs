using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using LightNvr.Data;
using LightNvr.Interop.Tests.Live;
using LightNvr.Interop.Tests.Server;
using LightNvr.Interop.Tests.Support;
using LightNvr.Relay;
using LightNvr.Testing;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.Cluster;

/// <summary>
/// Live view of a camera recorded elsewhere (docs/scale.md "Live view on any node"): two real server processes on one
/// real PostgreSQL and one GStreamer camera, leased to node A (started first; not pinned, so B may take it over). Only A keeps the camera connected: with nobody watching
/// on B the camera has exactly one RTSP session (counted on the camera's port, /proc/net/tcp). A snapshot and an MSE
/// viewer on B work and the camera still has one session: B relays from A's RTSP restream with the cluster credential
/// (A's log names the node relay). B's own RTSP server refuses that credential for a camera B does not hold (403) and
/// a wrong password (401). Then <c>kill -9</c> of A: the MSE viewer on B gets media again (the gap is measured), B
/// takes the lease and records, the camera has one session (B's).
/// </summary>
public sealed class LiveRelayTests(ITestOutputHelper output)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private static readonly AuthenticationHeaderValue Admin =
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:test-Password-1")));

    [Fact]
    public async Task A_node_without_the_lease_relays_live_view_from_the_holder_and_the_camera_sees_one_session()
    {
        var connection = await PostgresServer.CreateDatabaseAsync();
        await using var db = Database.Postgresql(connection);
        await db.MigrateAsync(TimeProvider.System);
        using var cam = GstCamera.Start(new GstCameraOptions { Width = 320, Height = 180, Fps = 5, Gop = 5, Audio = "none" });
        await new StreamStore(db).InsertAsync(new StreamConfig { Name = "cam01", Url = cam.Url, SegmentDuration = 4 });
        // The yardstick for a cold direct connect on B: a camera B holds (pinned) that nobody records (on demand).
        using var yard = GstCamera.Start(new GstCameraOptions { Width = 320, Height = 180, Fps = 5, Gop = 5, Audio = "none" });
        await new StreamStore(db).InsertAsync(new StreamConfig { Name = "cam02", Url = yard.Url, Record = false });

        var folders = new[] { ClusterWait.NewFolder("relay"), ClusterWait.NewFolder("relay") };
        var ports = new[] { FreePort.Next(), FreePort.Next() };
        var rtsp = new[] { FreePort.Next(), FreePort.Next() };
        var servers = new ServerProcess?[2];
        try
        {
            // A first, so it holds cam01 before B ever heartbeats; one camera is within A's share, so A keeps it.
            for (var n = 0; n < 2; n++)
            {
                await File.WriteAllTextAsync(Path.Combine(folders[n], "lightnvr.ini"),
                    new ClusterNodeIni(n == 0 ? "nodea" : "nodeb", ports[n], connection) { RtspPort = rtsp[n], RtspUrl = true, Pinned = n == 0 ? "" : "cam02" }.ToString());
                servers[n] = ServerProcess.Launch(folders[n], ports[n], ["-c", Path.Combine(folders[n], "lightnvr.ini")]);
                await ClusterWait.HealthyAsync(servers[n]!);
            }
            var (a, b) = (servers[0]!, servers[1]!);
            try
            {
                await ClusterWait.UntilAsync("cam01 leased to node A and connected once", TimeSpan.FromSeconds(30), async () =>
                    (await new LeaseStore(db).ListLeasesAsync()).Any(l => l.StreamName == "cam01" && l.NodeId == "nodea" && l.Valid)
                    && MediaProbe.ConnectionsTo(cam.Port) == 1);
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message} (camera sessions now: {MediaProbe.ConnectionsTo(cam.Port)})", e);
            }

            // 1. Nobody watches on B: B does not connect (before: one session per node).
            await Task.Delay(3000); // two of B's heartbeats
            Assert.Equal(1, MediaProbe.ConnectionsTo(cam.Port));

            // 2. A snapshot on B, relayed from A (B connects on demand, to A's restream, not to the camera).
            var clock = Stopwatch.StartNew();
            var relayed = await GetAsync(b, "/go2rtc/api/frame.jpeg?src=cam01");
            var relayMs = clock.ElapsedMilliseconds;
            Assert.True(relayed.Status == HttpStatusCode.OK, $"snapshot on B: {relayed.Status}");
            Assert.Equal([0xFF, 0xD8], relayed.Body[..2]);
            var jpeg = Path.Combine(folders[1], "relayed.jpg");
            await File.WriteAllBytesAsync(jpeg, relayed.Body);
            var (_, width, height) = await MediaProbe.CountVideoFramesAsync(jpeg);
            Assert.Equal((320, 180), (width, height));
            Assert.Equal(1, MediaProbe.ConnectionsTo(cam.Port)); // B's relay holds its source for the linger
            clock.Restart();
            var direct = await GetAsync(a, "/go2rtc/api/frame.jpeg?src=cam01");
            var holderMs = clock.ElapsedMilliseconds;
            Assert.Equal(HttpStatusCode.OK, direct.Status);
            Assert.Equal(0, MediaProbe.ConnectionsTo(yard.Port));
            clock.Restart();
            var cold = await GetAsync(b, "/go2rtc/api/frame.jpeg?src=cam02");
            var coldDirectMs = clock.ElapsedMilliseconds;
            Assert.Equal(HttpStatusCode.OK, cold.Status);
            Assert.Equal(1, MediaProbe.ConnectionsTo(yard.Port));
            Assert.Contains("Camera cam01: live view relayed from nodea", await File.ReadAllTextAsync(b.LogFile), StringComparison.Ordinal);
            Assert.Contains("RTSP: node relay of cam01", await File.ReadAllTextAsync(a.LogFile), StringComparison.Ordinal);
            output.WriteLine($"first snapshot on B through the relay (B cold): {relayMs} ms; on A (holder, connected): {holderMs} ms; " +
                $"on B of a camera it connects to directly on demand (cold): {coldDirectMs} ms");

            // Again once both lingers ran out (B's relay and its cam02 session closed): cold again, credential known.
            await ClusterWait.UntilAsync("B's relay and cam02 session closed after the linger", TimeSpan.FromSeconds(30), () =>
                Task.FromResult(MediaProbe.ConnectionsTo(rtsp[0]) == 0 && MediaProbe.ConnectionsTo(yard.Port) == 0));
            clock.Restart();
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(b, "/go2rtc/api/frame.jpeg?src=cam01")).Status);
            var relayAgainMs = clock.ElapsedMilliseconds;
            clock.Restart();
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(b, "/go2rtc/api/frame.jpeg?src=cam02")).Status);
            output.WriteLine($"second cold snapshot on B: relayed {relayAgainMs} ms, direct {clock.ElapsedMilliseconds} ms");
            Assert.Equal(1, MediaProbe.ConnectionsTo(cam.Port));

            // 3. The cluster credential at a node that does not hold the camera: refused (no relay loops), and a
            // wrong password is refused as any wrong password.
            var secret = await SecretAsync(db);
            Assert.Equal(403, await DescribeAsync(rtsp[1], "cam01", NodeRelayCredential.User, secret));
            Assert.Equal(401, await DescribeAsync(rtsp[0], "cam01", NodeRelayCredential.User, secret + "x"));
            Assert.Equal(200, await DescribeAsync(rtsp[0], "cam01", NodeRelayCredential.User, secret));

            // 4. An MSE viewer on B (relayed), still one camera session. It reconnects 0.5 s after its WebSocket ends,
            // as the web player does (a source reconnect ends every MSE session: new init segment).
            var media = new List<long>();
            var sessions = 0;
            var watch = Stopwatch.StartNew();
            using var stopViewer = new CancellationTokenSource();
            var reader = Task.Run(async () =>
            {
                while (!stopViewer.IsCancellationRequested)
                {
                    try
                    {
                        using var ws = new ClientWebSocket();
                        ws.Options.SetRequestHeader("Authorization", Admin.ToString());
                        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{ports[1]}/go2rtc/api/ws?src=cam01"), stopViewer.Token);
                        await MseClient.SendRequestAsync(ws, "avc1.640029,mp4a.40.2");
                        Interlocked.Increment(ref sessions);
                        while (ws.State == WebSocketState.Open && !stopViewer.IsCancellationRequested)
                        {
                            var message = await MseClient.ReceiveAsync(ws, TimeSpan.FromSeconds(30));
                            if (message.Type is "close" or "error")
                            {
                                break;
                            }
                            if (message.Data is not null)
                            {
                                lock (media)
                                {
                                    media.Add(watch.ElapsedMilliseconds);
                                }
                            }
                        }
                    }
                    catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
                    {
                    }
                    await Task.Delay(500, CancellationToken.None);
                }
            });
            await ClusterWait.UntilAsync("MSE media on B", TimeSpan.FromSeconds(15), () => Task.FromResult(Count(media) >= 5));
            Assert.Equal(1, MediaProbe.ConnectionsTo(cam.Port));

            // 5. A dies: B's viewer gets media again (B falls back to the camera), B takes the lease and records.
            a.Process.Kill();
            var killedAt = watch.ElapsedMilliseconds;
            a.WaitForExit(TimeSpan.FromSeconds(10));
            await ClusterWait.UntilAsync("MSE media on B after A died", TimeSpan.FromSeconds(30), () =>
                Task.FromResult(Last(media) > killedAt + 500));
            long gap;
            lock (media)
            {
                gap = media.First(t => t > killedAt + 200) - killedAt; // frames already in flight at the kill are not "back"
            }
            var takeOver = Stopwatch.StartNew();
            await ClusterWait.UntilAsync("cam01 leased to node B", TimeSpan.FromSeconds(30), async () =>
                (await new LeaseStore(db).ListLeasesAsync()).Any(l => l.StreamName == "cam01" && l.NodeId == "nodeb" && l.Valid));
            var leasedAfter = killedAt + takeOver.ElapsedMilliseconds;
            await ClusterWait.UntilAsync("a complete cam01 segment on node B", TimeSpan.FromSeconds(40), async () =>
                await CompleteRowsAsync(db, "cam01", "nodeb") > 0);
            Assert.Equal(1, MediaProbe.ConnectionsTo(cam.Port));
            var after = await GetAsync(b, "/go2rtc/api/frame.jpeg?src=cam01");
            Assert.Equal(HttpStatusCode.OK, after.Status);
            await stopViewer.CancelAsync();
            await reader;
            // The node credential never reaches a log or the console: the relay URL carries it, and B's relay broke
            // with an error naming that URL when A died.
            foreach (var server in servers)
            {
                Assert.DoesNotContain(secret, await File.ReadAllTextAsync(server!.LogFile), StringComparison.Ordinal);
                Assert.DoesNotContain(secret, server.Stdout + server.Stderr, StringComparison.Ordinal);
            }
            Assert.Contains("relay from nodea broke", await File.ReadAllTextAsync(b.LogFile), StringComparison.Ordinal);
            output.WriteLine($"A killed: MSE media on B again after {gap} ms ({sessions} WebSocket sessions in all, the viewer " +
                $"reconnecting 0.5 s after each end); lease on B after about {leasedAfter / 1000.0:0.0} s; " +
                $"camera sessions: {MediaProbe.ConnectionsTo(cam.Port)}");
        }
        catch (Exception)
        {
            foreach (var server in servers.Where(s => s is not null && File.Exists(s.LogFile)))
            {
                output.WriteLine($"--- {server!.LogFile}:\n" + string.Join('\n', File.ReadLines(server.LogFile).TakeLast(50)));
            }
            throw;
        }
        finally
        {
            ClusterWait.StopAndDelete(servers, folders);
        }
    }

    private static int Count(List<long> media)
    {
        lock (media)
        {
            return media.Count;
        }
    }

    private static long Last(List<long> media)
    {
        lock (media)
        {
            return media.Count == 0 ? -1 : media[^1];
        }
    }

    /// <summary>One RTSP DESCRIBE with Basic credentials over a raw socket; the status code.</summary>
    private static async Task<int> DescribeAsync(int port, string stream, string user, string password)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream1 = client.GetStream();
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        var request = $"DESCRIBE rtsp://127.0.0.1:{port}/{stream} RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n" +
            $"Authorization: Basic {basic}\r\n\r\n";
        await stream1.WriteAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var read = await stream1.ReadAsync(buffer, cts.Token);
        var line = Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0]; // RTSP/1.0 403 Forbidden
        return int.Parse(line.Split(' ')[1]);
    }

    private static async Task<string> SecretAsync(Database db)
    {
        await using var connection = await db.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM cluster_secrets WHERE name = @n";
        command.Parameters.AddWithValue("@n", NodeRelayCredential.SecretName);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> CompleteRowsAsync(Database db, string stream, string node)
    {
        await using var connection = await db.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM recordings WHERE stream_name = @s AND node_id = @n AND is_complete = 1 AND size_bytes > 0";
        command.Parameters.AddWithValue("@s", stream);
        command.Parameters.AddWithValue("@n", node);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private sealed record Reply(HttpStatusCode Status, byte[] Body);

    private static async Task<Reply> GetAsync(ServerProcess server, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, server.BaseUrl + path);
        request.Headers.Authorization = Admin;
        using var response = await Http.SendAsync(request);
        return new Reply(response.StatusCode, await response.Content.ReadAsByteArrayAsync());
    }

}
