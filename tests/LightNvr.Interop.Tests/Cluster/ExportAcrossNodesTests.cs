using System.Globalization;
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
/// An export across a fail-over (docs/scale.md "Export across nodes"): two real server processes on one real
/// PostgreSQL, each with its own storage folder, one GStreamer camera. The node recording it is killed with SIGKILL,
/// the other takes the camera over, the first comes back: the camera now has segments on both disks. An export of the
/// range covering both, asked of either node, must hold every segment's frames (counted by ffprobe in each segment
/// downloaded from its owner), last about the covered time, decode with no error, be byte-identical through both
/// nodes, answer a Range with 206 and an unsatisfiable one with 416, and leave no fetched file behind. With the other
/// owner killed: 502 naming it, or with <c>partial=1</c> the reachable part and the missing span in a header.
/// </summary>
public sealed class ExportAcrossNodesTests(ITestOutputHelper output)
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseCookies = false }) { Timeout = TimeSpan.FromSeconds(60) };

    private static readonly AuthenticationHeaderValue Admin =
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:test-Password-1")));

    [Fact]
    public async Task An_export_across_a_failover_holds_both_nodes_segments()
    {
        var connection = await PostgresServer.CreateDatabaseAsync();
        await using var db = Database.Postgresql(connection);
        await db.MigrateAsync(TimeProvider.System);
        using var cam = GstCamera.Start(new GstCameraOptions { Width = 320, Height = 180, Fps = 5, Gop = 5, Audio = "none" });
        await new StreamStore(db).InsertAsync(new StreamConfig { Name = "cam01", Url = cam.Url, SegmentDuration = 6 });

        var ids = new[] { "nodea", "nodeb" };
        var folders = new[] { ClusterWait.NewFolder("export"), ClusterWait.NewFolder("export") };
        var ports = new[] { FreePort.Next(), FreePort.Next() };
        var servers = new ServerProcess?[2];
        try
        {
            for (var n = 0; n < 2; n++)
            {
                await File.WriteAllTextAsync(Path.Combine(folders[n], "lightnvr.ini"), new ClusterNodeIni(ids[n], ports[n], connection).ToString());
                servers[n] = Start(folders[n], ports[n]);
            }
            await ClusterWait.HealthyAsync(servers[0]!);
            await ClusterWait.HealthyAsync(servers[1]!);

            // 1. The first holder (x) records two complete segments; it is killed; the other (y) records two.
            var holder = "";
            await ClusterWait.UntilAsync("cam01 leased", TimeSpan.FromSeconds(60), async () =>
            {
                holder = (await new LeaseStore(db).ListLeasesAsync()).FirstOrDefault(l => l.Valid && l.StreamName == "cam01")?.NodeId ?? "";
                return holder.Length > 0;
            });
            var x = Array.IndexOf(ids, holder);
            var y = 1 - x;
            await UntilRowsAsync(db, ids[x], 2, servers[x]!);
            servers[x]!.Process.Kill();
            servers[x]!.WaitForExit(TimeSpan.FromSeconds(10));
            await UntilRowsAsync(db, ids[y], 2, servers[y]!);
            servers[x]!.Dispose();
            servers[x] = Start(folders[x], ports[x]);
            await ClusterWait.HealthyAsync(servers[x]!);

            // 2. The range: from x's first segment to y's last complete one; the frames of every segment in it.
            var rows = await RowsAsync(db);
            var first = rows.First(r => r.Node == ids[x]);
            var last = rows.Last(r => r.Node == ids[y]);
            var inRange = rows.Where(r => r.Start >= first.Start && r.End <= last.End).ToList();
            Assert.Contains(inRange, r => r.Node == ids[x]);
            Assert.Contains(inRange, r => r.Node == ids[y]);
            var framesBy = new Dictionary<string, int> { [ids[0]] = 0, [ids[1]] = 0 };
            var sourceErrors = 0;
            foreach (var row in inRange)
            {
                var own = await GetAsync(servers[Array.IndexOf(ids, row.Node)]!, $"/api/recordings/download/{row.Id}");
                Assert.Equal(HttpStatusCode.OK, own.Status);
                var file = Path.Combine(folders[0], $"segment-{row.Id}.mp4");
                await File.WriteAllBytesAsync(file, own.Body);
                framesBy[row.Node] += (await MediaProbe.CountVideoFramesAsync(file)).Frames;
                var check = await MediaProbe.RunAsync("ffmpeg", TimeSpan.FromSeconds(60), "-v", "error", "-i", file, "-f", "null", "-");
                sourceErrors += ErrorLines(check.Err);
                var pkts = await MediaProbe.RunAsync("ffprobe", TimeSpan.FromSeconds(30), "-v", "error", "-select_streams", "v:0",
                    "-show_entries", "packet=dts_time,duration_time,flags", "-of", "csv=p=0", file);
                output.WriteLine($"segment {row.Node}#{row.Id}: decode errors {ErrorLines(check.Err)} {check.Err.Trim()}; packets "
                    + string.Join(" ", pkts.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(8)));
            }
            var expected = framesBy.Values.Sum();
            output.WriteLine($"{inRange.Count} segments {first.Start}..{last.End}: {ids[x]} {framesBy[ids[x]]} frames, "
                + $"{ids[y]} {framesBy[ids[y]]} frames; " + string.Join(", ", inRange.Select(r => $"{r.Node}#{r.Id} {r.Start}-{r.End}")));

            // 3. Through each node: the same bytes, every segment's frames, the covered time, no decode error.
            var query = $"/api/recordings/export?stream=cam01&start={first.Start}&end={last.End}";
            var exports = new Reply[2];
            for (var n = 0; n < 2; n++)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                exports[n] = await GetAsync(servers[n]!, query);
                Assert.True(exports[n].Status == HttpStatusCode.OK, $"{ids[n]}: {exports[n].Status} {Encoding.UTF8.GetString(exports[n].Body)}");
                Assert.Equal("", exports[n].Header("X-LightNVR-Served-By")); // built here, not passed on
                Assert.Equal("", exports[n].Header("X-LightNVR-Missing"));
                Assert.Equal(exports[n].Body.Length.ToString(CultureInfo.InvariantCulture), exports[n].Header("Content-Length"));
                output.WriteLine($"export through {ids[n]}: {exports[n].Body.Length} bytes in {clock.ElapsedMilliseconds} ms, ETag {exports[n].Header("ETag")}");
            }
            Assert.Equal(exports[0].Body, exports[1].Body);
            var exported = Path.Combine(folders[0], "export.mp4");
            await File.WriteAllBytesAsync(exported, exports[0].Body);
            var (frames, width, height) = await MediaProbe.CountVideoFramesAsync(exported);
            Assert.Equal((320, 180), (width, height));
            // Row times are whole seconds: the last second of the last segment may fall past `end` (5 fps).
            Assert.InRange(frames, expected - 6, expected);
            Assert.True(frames > framesBy[ids[x]] && frames > framesBy[ids[y]], $"{frames} frames: not both nodes' parts");
            var duration = await DurationAsync(exported);
            Assert.InRange(duration, last.End - first.Start - 2.5, last.End - first.Start + 1.5);
            var decode = await MediaProbe.RunAsync("ffmpeg", TimeSpan.FromSeconds(60), "-v", "error", "-i", exported, "-f", "null", "-");
            var exportPackets = await MediaProbe.RunAsync("ffprobe", TimeSpan.FromSeconds(30), "-v", "error", "-select_streams", "v:0",
                "-show_entries", "packet=dts_time,duration_time,flags", "-of", "csv=p=0", exported);
            output.WriteLine($"export: {frames} frames of {expected}, {duration:0.0} s for {last.End - first.Start} s covered, "
                + $"decode errors {ErrorLines(decode.Err)} (segments' own: {sourceErrors}) {decode.Err.Trim()}; packets "
                + string.Join(" ", exportPackets.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(8)));
            // Decodes; whatever ffmpeg says of the recorded segments themselves, the export adds nothing to it.
            Assert.Equal(0, decode.Exit);
            Assert.True(ErrorLines(decode.Err) <= sourceErrors, "ffmpeg decode of the export: " + decode.Err);

            // A Range of it through the node that fetches: 206 with the same bytes; past the end: 416.
            var length = exports[x].Body.Length;
            var part = await GetAsync(servers[x]!, query, range: "bytes=100-1099");
            Assert.Equal(HttpStatusCode.PartialContent, part.Status);
            Assert.Equal($"bytes 100-1099/{length}", part.Header("Content-Range"));
            Assert.Equal(exports[x].Body[100..1100], part.Body);
            var beyond = await GetAsync(servers[x]!, query, range: $"bytes={length}-");
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, beyond.Status);
            Assert.Equal($"bytes */{length}", beyond.Header("Content-Range"));
            // The fetched copies are gone once the responses ended.
            await ClusterWait.UntilAsync("export cache emptied", TimeSpan.FromSeconds(10), () => Task.FromResult(
                folders.All(f => !Directory.Exists(Path.Combine(f, "recordings", ".export-cache"))
                    || Directory.GetFileSystemEntries(Path.Combine(f, "recordings", ".export-cache")).Length == 0)));

            // 4. y killed: x says which node it cannot reach, or exports its own part with partial=1.
            servers[y]!.Process.Kill();
            servers[y]!.WaitForExit(TimeSpan.FromSeconds(10));
            var down = await GetAsync(servers[x]!, query);
            Assert.Equal(HttpStatusCode.BadGateway, down.Status);
            Assert.Contains(ids[y], Encoding.UTF8.GetString(down.Body), StringComparison.Ordinal);
            var partial = await GetAsync(servers[x]!, query + "&partial=1");
            Assert.Equal(HttpStatusCode.OK, partial.Status);
            var missing = partial.Header("X-LightNVR-Missing");
            Assert.StartsWith(ids[y] + ":", missing, StringComparison.Ordinal);
            var partialFile = Path.Combine(folders[0], "partial.mp4");
            await File.WriteAllBytesAsync(partialFile, partial.Body);
            var partialFrames = (await MediaProbe.CountVideoFramesAsync(partialFile)).Frames;
            Assert.InRange(partialFrames, framesBy[ids[x]] - 6, framesBy[ids[x]]);
            output.WriteLine($"{ids[y]} down: 502 \"{Encoding.UTF8.GetString(down.Body)}\"; partial=1: {partialFrames} frames, missing {missing}");
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

    private sealed record Row(long Id, string Node, long Start, long End);

    private static async Task<Reply> GetAsync(ServerProcess server, string path, string? range = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, server.BaseUrl + path);
        request.Headers.Authorization = Admin;
        if (range is not null)
        {
            request.Headers.TryAddWithoutValidation("Range", range);
        }
        var response = await Http.SendAsync(request);
        return new Reply(response.StatusCode, await response.Content.ReadAsByteArrayAsync(), response);
    }

    /// <summary>ffmpeg's error lines, "Last message repeated N times" counted as N more.</summary>
    private static int ErrorLines(string err)
    {
        var count = 0;
        foreach (var line in err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var repeated = System.Text.RegularExpressions.Regex.Match(line, @"Last message repeated (\d+) times");
            count += repeated.Success ? int.Parse(repeated.Groups[1].Value, CultureInfo.InvariantCulture) : 1;
        }
        return count;
    }

    private static async Task<double> DurationAsync(string file)
    {
        var (exit, text, err) = await MediaProbe.RunAsync("ffprobe", TimeSpan.FromSeconds(30),
            "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file);
        Assert.True(exit == 0, "ffprobe: " + err);
        return double.Parse(text.Trim(), CultureInfo.InvariantCulture);
    }

    private static async Task UntilRowsAsync(Database db, string node, int count, ServerProcess server)
    {
        try
        {
            await ClusterWait.UntilAsync($"{count} complete cam01 segments on {node}", TimeSpan.FromSeconds(120), async () =>
                (await RowsAsync(db)).Count(r => r.Node == node) >= count);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\n" + string.Join('\n', File.ReadLines(server.LogFile).TakeLast(40)), e);
        }
    }

    private static ServerProcess Start(string folder, int port) =>
        ServerProcess.Launch(folder, port, ["-c", Path.Combine(folder, "lightnvr.ini")]);

    private static async Task<List<Row>> RowsAsync(Database db)
    {
        await using var connection = await db.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, node_id, start_time, end_time FROM recordings WHERE stream_name = 'cam01' " +
            "AND is_complete = 1 AND end_time IS NOT NULL AND size_bytes > 0 ORDER BY start_time, id";
        var rows = new List<Row>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new Row(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3)));
        }
        return rows;
    }
}
