using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LightNvr.Data;
using LightNvr.Interop.Tests.Live;
using LightNvr.Interop.Tests.Server;
using LightNvr.Interop.Tests.Support;
using LightNvr.Testing;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.Cluster;

/// <summary>
/// One API over all recorder nodes (docs/scale.md "One API over every node"): two real server processes on one real
/// PostgreSQL, each with its own storage folder, and GStreamer cameras. A recording written by node A is played,
/// downloaded (with Range: 206, 416) and thumbnailed through node B, which passes the request to A's
/// <c>api_url</c> with the caller's credentials (Basic, and a session cookie made at B); the bytes must equal A's own
/// answer and ffprobe must decode them; an export through B is built at B from A's segment (fetched by id). A camera
/// added through A's API that is pinned to B starts recording on B without a restart; deleting it through A stops it
/// there. cam01's motion detection runs on A only. With A killed, B
/// answers 502.
/// </summary>
public sealed class ClusterApiTests(ITestOutputHelper output)
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };

    private static readonly AuthenticationHeaderValue Admin =
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:test-Password-1")));

    [Fact]
    public async Task A_recording_of_node_a_plays_through_node_b_and_stream_changes_reach_every_node()
    {
        var connection = await PostgresServer.CreateDatabaseAsync();
        await using var db = Database.Postgresql(connection);
        await db.MigrateAsync(TimeProvider.System);
        using var cam1 = GstCamera.Start(new GstCameraOptions { Width = 320, Height = 180, Fps = 5, Gop = 5, Audio = "none" });
        using var cam2 = GstCamera.Start(new GstCameraOptions { Width = 320, Height = 180, Fps = 5, Gop = 5, Audio = "none" });
        await new StreamStore(db).InsertAsync(new StreamConfig { Name = "cam01", Url = cam1.Url, SegmentDuration = 6, DetectionModel = "motion" });

        var folders = new[] { ClusterWait.NewFolder("cluster"), ClusterWait.NewFolder("cluster") };
        var ports = new[] { FreePort.Next(), FreePort.Next() };
        var servers = new ServerProcess?[2];
        try
        {
            for (var n = 0; n < 2; n++)
            {
                await File.WriteAllTextAsync(Path.Combine(folders[n], "lightnvr.ini"),
                    new ClusterNodeIni(n == 0 ? "nodea" : "nodeb", ports[n], connection) { Pinned = n == 0 ? "cam01" : "cam02" }.ToString());
                servers[n] = ServerProcess.Launch(folders[n], ports[n], ["-c", Path.Combine(folders[n], "lightnvr.ini")]);
            }
            var (a, b) = (servers[0]!, servers[1]!);
            await ClusterWait.HealthyAsync(a);
            await ClusterWait.HealthyAsync(b);

            // 1. A records cam01 (pinned to it): a complete segment.
            (long Id, string Path) row = default;
            try
            {
                await ClusterWait.UntilAsync("a complete cam01 segment on node A", TimeSpan.FromSeconds(150), async () =>
                {
                    var rows = await RowsAsync(db, "cam01", "nodea");
                    row = rows.FirstOrDefault();
                    return rows.Count > 0;
                });
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException(e.Message + "\nnode A:\n" + string.Join('\n', File.ReadLines(a.LogFile).TakeLast(60))
                    + "\nnode B:\n" + string.Join('\n', File.ReadLines(b.LogFile).TakeLast(30)), e);
            }
            // Motion detection of cam01 runs on its lease holder only (one event per motion, not one per node).
            Assert.Contains("Detection on cam01", await File.ReadAllTextAsync(a.LogFile), StringComparison.Ordinal);
            // B may have held cam01 for a heartbeat: started first, it claims the camera before A's first heartbeat and
            // gives it back as soon as it sees A (LeasePlan: a pinned camera goes to its node). Its detector may run only
            // inside that lease, never after it.
            var bLog = await File.ReadAllTextAsync(b.LogFile);
            var bDetected = bLog.LastIndexOf("Detection on cam01", StringComparison.Ordinal);
            if (bDetected >= 0)
            {
                var claimed = bLog.IndexOf("lease of cam01 claimed", StringComparison.Ordinal);
                Assert.True(claimed >= 0 && claimed < bDetected, "node B ran cam01's detection without its lease");
                Assert.True(bLog.LastIndexOf("Lease of cam01 released", StringComparison.Ordinal) > bDetected,
                    "node B kept cam01's detection after A took the camera");
            }

            var own = await GetAsync(a, $"/api/recordings/download/{row.Id}");
            Assert.Equal(HttpStatusCode.OK, own.Status);
            var onDisk = Directory.GetFiles(folders[0], Path.GetFileName(row.Path)!, SearchOption.AllDirectories).Single();
            Assert.Equal(await File.ReadAllBytesAsync(onDisk), own.Body);
            Assert.Empty(Directory.GetFiles(folders[1], Path.GetFileName(row.Path)!, SearchOption.AllDirectories));

            // 2. Through B: the whole file, a range, an unsatisfiable range (Basic credentials passed on).
            var whole = await GetAsync(b, $"/api/recordings/download/{row.Id}");
            Assert.Equal(HttpStatusCode.OK, whole.Status);
            Assert.Equal(own.Body, whole.Body);
            Assert.Equal("nodea", whole.Header("X-LightNVR-Served-By"));
            Assert.Contains("attachment", whole.Header("Content-Disposition"), StringComparison.Ordinal);
            var length = own.Body.Length;
            var part = await GetAsync(b, $"/api/recordings/play/{row.Id}", range: "bytes=100-1099");
            Assert.Equal(HttpStatusCode.PartialContent, part.Status);
            Assert.Equal($"bytes 100-1099/{length}", part.Header("Content-Range"));
            Assert.Equal(own.Body[100..1100], part.Body);
            var tail = await GetAsync(b, $"/api/recordings/play/{row.Id}", range: "bytes=-500");
            Assert.Equal(HttpStatusCode.PartialContent, tail.Status);
            Assert.Equal(own.Body[^500..], tail.Body);
            var beyond = await GetAsync(b, $"/api/recordings/play/{row.Id}", range: $"bytes={length}-");
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, beyond.Status);
            Assert.Equal($"bytes */{length}", beyond.Header("Content-Range"));
            var played = Path.Combine(folders[1], "played.mp4");
            await File.WriteAllBytesAsync(played, whole.Body);
            var (frames, width, height) = await MediaProbe.CountVideoFramesAsync(played);
            Assert.True(frames >= 5, $"{frames} frames");
            Assert.Equal((320, 180), (width, height));
            output.WriteLine($"segment {row.Id}: {length} bytes, {frames} frames, through node B byte-identical; 206 and 416 passed through");

            // A session made at B (sessions are in the shared database) is accepted by A through B's proxy.
            var cookie = await LoginAsync(b);
            var withCookie = await GetAsync(b, $"/api/recordings/play/{row.Id}", range: "bytes=0-99", cookie: cookie);
            Assert.Equal(HttpStatusCode.PartialContent, withCookie.Status);
            Assert.Equal(own.Body[..100], withCookie.Body);
            var anonymous = await GetAsync(b, $"/api/recordings/play/{row.Id}", auth: false);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status); // checked at B before anything is passed on

            // Thumbnail and export through B.
            var thumb = await RetryBusyAsync(() => GetAsync(b, $"/api/recordings/thumbnail/{row.Id}/0"));
            Assert.Equal(HttpStatusCode.OK, thumb.Status);
            Assert.Equal("image/jpeg", thumb.Header("Content-Type"));
            Assert.Equal([0xFF, 0xD8], thumb.Body[..2]);
            var (start, end) = await TimesAsync(db, row.Id);
            var export = await GetAsync(b, $"/api/recordings/export?stream=cam01&start={start}&end={end}");
            Assert.Equal(HttpStatusCode.OK, export.Status);
            Assert.Equal("", export.Header("X-LightNVR-Served-By")); // built at B from A's segment, fetched by id
            var exported = Path.Combine(folders[1], "export.mp4");
            await File.WriteAllBytesAsync(exported, export.Body);
            Assert.True((await MediaProbe.CountVideoFramesAsync(exported)).Frames >= 5);

            // 3. A camera added through A, pinned to B: B starts it without a restart and records it.
            var added = new StringContent($$"""{"name":"cam02","url":"{{cam2.Url}}","record":true,"segment_duration":10}""",
                Encoding.UTF8, "application/json");
            using (var request = new HttpRequestMessage(HttpMethod.Post, a.BaseUrl + "/api/streams") { Content = added })
            {
                request.Headers.Authorization = Admin;
                using var response = await Http.SendAsync(request);
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            }
            var addedAt = Stopwatch.StartNew();
            await ClusterWait.UntilAsync("cam02 recorded by node B", TimeSpan.FromSeconds(90), async () =>
                (await RowsAsync(db, "cam02", "nodeb")).Count > 0);
            output.WriteLine($"camera added through A: first complete segment on B {addedAt.Elapsed.TotalSeconds:0} s later");
            Assert.Contains("Stream cam02 added through another node", await File.ReadAllTextAsync(b.LogFile), StringComparison.Ordinal);
            Assert.DoesNotContain("Stream cam02 added through another node", await File.ReadAllTextAsync(a.LogFile), StringComparison.Ordinal);

            // Deleted through A: B stops its recorder (segment finished) and gives the lease up.
            using (var request = new HttpRequestMessage(HttpMethod.Delete, a.BaseUrl + "/api/streams/cam02?permanent=true"))
            {
                request.Headers.Authorization = Admin;
                using var response = await Http.SendAsync(request);
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            }
            await ClusterWait.UntilAsync("cam02 stopped on node B", TimeSpan.FromSeconds(30), async () =>
                (await new LeaseStore(db).ListLeasesAsync()).All(l => l.StreamName != "cam02" || !l.Valid)
                && await OpenRowsAsync(db, "cam02") == 0);
            Assert.Contains("Stream cam02 deleted through another node", await File.ReadAllTextAsync(b.LogFile), StringComparison.Ordinal);

            // 4. A killed: B says the owner cannot be reached.
            a.Process.Kill();
            a.WaitForExit(TimeSpan.FromSeconds(10));
            var down = await GetAsync(b, $"/api/recordings/play/{row.Id}", range: "bytes=0-99");
            Assert.Equal(HttpStatusCode.BadGateway, down.Status);
            Assert.Contains("nodea", Encoding.UTF8.GetString(down.Body), StringComparison.Ordinal);
        }
        finally
        {
            ClusterWait.StopAndDelete(servers, folders);
        }
    }

    private sealed record Reply(HttpStatusCode Status, byte[] Body, HttpResponseMessage Message)
    {
        public string Header(string name) =>
            Message.Headers.TryGetValues(name, out var v) || Message.Content.Headers.TryGetValues(name, out v) ? string.Join(",", v) : "";
    }

    private static async Task<Reply> GetAsync(ServerProcess server, string path, string? range = null, string? cookie = null, bool auth = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, server.BaseUrl + path);
        if (auth && cookie is null)
        {
            request.Headers.Authorization = Admin;
        }
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }
        if (range is not null)
        {
            request.Headers.TryAddWithoutValidation("Range", range);
        }
        var response = await Http.SendAsync(request);
        return new Reply(response.StatusCode, await response.Content.ReadAsByteArrayAsync(), response);
    }

    private static async Task<Reply> RetryBusyAsync(Func<Task<Reply>> get)
    {
        for (var i = 0; ; i++)
        {
            var reply = await get();
            if (reply.Status != HttpStatusCode.ServiceUnavailable || i == 10)
            {
                return reply;
            }
            await Task.Delay(2000);
        }
    }

    private static async Task<string> LoginAsync(ServerProcess server)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, server.BaseUrl + "/api/auth/login")
        {
            Content = new StringContent("""{"username":"admin","password":"test-Password-1"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", server.BaseUrl);
        using var response = await Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var cookies = response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).ToList();
        Assert.NotEmpty(cookies);
        return string.Join("; ", cookies);
    }

    private static async Task<IReadOnlyList<(long Id, string Path)>> RowsAsync(Database db, string stream, string node)
    {
        await using var connection = await db.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, file_path FROM recordings WHERE stream_name = @s AND node_id = @n AND is_complete = 1 " +
            "AND end_time IS NOT NULL AND size_bytes > 0 ORDER BY id";
        command.Parameters.AddWithValue("@s", stream);
        command.Parameters.AddWithValue("@n", node);
        var rows = new List<(long, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1)));
        }
        return rows;
    }

    private static async Task<long> OpenRowsAsync(Database db, string stream)
    {
        await using var connection = await db.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM recordings WHERE stream_name = @s AND is_complete = 0";
        command.Parameters.AddWithValue("@s", stream);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static async Task<(long Start, long End)> TimesAsync(Database db, long id)
    {
        await using var connection = await db.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT start_time, end_time FROM recordings WHERE id = @id";
        command.Parameters.AddWithValue("@id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
