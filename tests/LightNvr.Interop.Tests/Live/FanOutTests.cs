using System.Diagnostics;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using LightNvr.Interop.Tests.Support;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.Live;

/// <summary>Many viewers on one camera connection; a viewer that never reads does not slow the others.</summary>
public sealed class FanOutTests(ITestOutputHelper output)
{
    private const int Viewers = 20;

    [Fact]
    public async Task Twenty_viewers_share_one_camera_connection_and_a_stalled_viewer_does_not_slow_them()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "aac" });
        await using var server = await LiveHarness.StartAsync(LiveHarness.Stream("cam", camera));
        await server.WaitRunningAsync("cam", TimeSpan.FromSeconds(20));

        // The stalled viewer: a raw WebSocket handshake on a socket with a tiny receive buffer, never read again.
        using var stalled = await OpenStalledViewerAsync(server);
        using var statsClient = server.Client();
        using var stopPolling = new CancellationTokenSource();
        var stalledDropsTask = WatchStalledDropsAsync(statsClient, server, stopPolling.Token);

        var sockets = new List<ClientWebSocket>();
        for (var i = 0; i < Viewers; i++)
        {
            var ws = await server.ConnectWsAsync("cam");
            await MseClient.SendRequestAsync(ws, "avc1.640029,mp4a.40.2");
            sockets.Add(ws);
        }

        // Let the stalled viewer's socket buffers fill, then measure the others for 5 s.
        var counts = new int[Viewers];
        var videoBytes = new long[Viewers];
        var clock = Stopwatch.StartNew();
        var window = TimeSpan.FromSeconds(12);
        var measureFrom = TimeSpan.FromSeconds(7);
        await Task.WhenAll(sockets.Select((ws, i) => Task.Run(async () =>
        {
            while (clock.Elapsed < window)
            {
                var m = await MseClient.ReceiveAsync(ws, TimeSpan.FromSeconds(5));
                if (m.Data is not null && clock.Elapsed >= measureFrom && MseClient.FirstBox(m.Data) == "moof")
                {
                    Interlocked.Increment(ref counts[i]);
                    Interlocked.Add(ref videoBytes[i], m.Data.Length);
                }
            }
        })));

        var connections = MediaProbe.ConnectionsTo(camera.Port);
        using var client = server.Client();
        var streams = JsonNode.Parse(await client.GetStringAsync("/go2rtc/api/streams"))!["cam"]!;
        var consumers = streams["consumers"]!.AsArray();
        var mse = consumers.Where(c => (string?)c!["format_name"] == "mse/fmp4").ToArray();
        var (stalledDrops, timeline) = await stalledDropsTask;
        output.WriteLine(timeline);
        output.WriteLine($"fragments per viewer in 5 s: {string.Join(' ', counts)}; camera connections: {connections}; " +
            $"drops of the stalled viewer: {stalledDrops}");

        Assert.Equal(1, connections);
        Assert.Single(streams["producers"]!.AsArray());
        Assert.Equal(Viewers + 1, mse.Length);
        // 15 fps video plus AAC at 44.1 kHz: about 58 frames/s, a fragment per wake-up. At least 10 fragments/s each.
        Assert.All(counts, c => Assert.True(c >= 50, $"a viewer got only {c} fragments in 5 s"));
        Assert.True(stalledDrops > 0, "the stalled viewer's queue should overflow and count drops");

        foreach (var ws in sockets)
        {
            ws.Abort();
            ws.Dispose();
        }
    }

    /// <summary>Polls the streams JSON until the stalled viewer (its user agent) shows drops (bounded: 30 s).</summary>
    /// <remarks>
    /// Kernel and server buffers take the first seconds of a stalled viewer (about 20 s at this camera's 600 kbit/s on
    /// loopback), then its hub queue fills and drops. A viewer the server ended for stalling counts too: its drops are
    /// in <see cref="LightNvr.Live.LiveConsumers.TotalDrops"/>, and the point is that nothing grew without bound.
    /// </remarks>
    private static async Task<(long Drops, string Timeline)> WatchStalledDropsAsync(HttpClient client, LiveHarness server,
        CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var timeline = new StringBuilder("stalled viewer:");
        while (clock.Elapsed < TimeSpan.FromSeconds(45) && !ct.IsCancellationRequested)
        {
            var json = JsonNode.Parse(await client.GetStringAsync("/go2rtc/api/streams"))!["cam"]!["consumers"]!.AsArray();
            var stalled = json.FirstOrDefault(c => (string?)c!["user_agent"] == "stalled-viewer");
            var sender = stalled?["senders"]![0]!;
            timeline.Append($" {clock.Elapsed.TotalSeconds:0.0}s:{(sender is null ? "gone" : $"{sender["packets"]}p/{sender["drops"]}d")}");
            if (sender is not null && (long)sender["drops"]! > 0)
            {
                return ((long)sender["drops"]!, timeline.ToString());
            }

            if (sender is null && clock.Elapsed > TimeSpan.FromSeconds(2) && server.Consumers.TotalDrops > 0)
            {
                return (server.Consumers.TotalDrops, timeline.ToString());
            }

            await Task.Delay(1000);
        }

        return (0, timeline.ToString());
    }

    /// <summary>Upgrades a raw TCP socket (receive buffer 4 KB) to a WebSocket, sends the MSE request, never reads.</summary>
    private static async Task<TcpClient> OpenStalledViewerAsync(LiveHarness server)
    {
        var tcp = new TcpClient { ReceiveBufferSize = 4096 };
        await tcp.ConnectAsync("127.0.0.1", server.BaseAddress.Port);
        var stream = tcp.GetStream();
        var key = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        var request = $"GET /go2rtc/api/ws?src=cam HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                      $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Basic {LiveHarness.BasicValue}\r\n" +
                      "User-Agent: stalled-viewer\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[512];
        var n = await stream.ReadAsync(buffer); // the 101 answer
        Assert.StartsWith("HTTP/1.1 101", Encoding.ASCII.GetString(buffer, 0, n));
        var payload = Encoding.UTF8.GetBytes("{\"type\":\"mse\",\"value\":\"avc1.640029\"}");
        var frame = new byte[2 + 4 + payload.Length];
        frame[0] = 0x81; // FIN + text
        frame[1] = (byte)(0x80 | payload.Length); // masked, length < 126
        var mask = new byte[] { 1, 2, 3, 4 };
        mask.CopyTo(frame, 2);
        for (var i = 0; i < payload.Length; i++)
        {
            frame[6 + i] = (byte)(payload[i] ^ mask[i % 4]);
        }

        await stream.WriteAsync(frame);
        return tcp;
    }
}
