using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Channels;
using LightNvr.Data;
using LightNvr.Integrations.Webhooks;
using LightNvr.Tests.Support;
using Xunit.Abstractions;

namespace LightNvr.Tests.Api.Webhooks;

/// <summary>
/// Dead receivers never slow event handling. On the whole server, the time from <c>POST /api/motion/trigger</c> to the
/// event's <c>start</c> on the SSE feed is measured without hooks, then with four hooks that want every change of
/// every stream: three at a port that accepts connections and never answers (the server's clock is the test's and does
/// not move, so those requests hang for the whole test: the worst case, every send slot taken) and one at a closed port
/// (refused at once, then waiting out its backoff). The feed's latency must not grow beyond noise, and the hung
/// connections are checked to be there, so the hooks really were being sent to.
/// </summary>
public sealed class WebhookEventLatencyTests(ITestOutputHelper output)
{
    private const int Triggers = 20;

    [Fact]
    public async Task Hooks_at_dead_ports_do_not_slow_the_event_feed()
    {
        await using var host = await TestServerHost.StartAsync(full: true);
        await host.Service<StreamStore>().InsertAsync(new StreamConfig { Name = "porch", Url = "rtsp://127.0.0.1:1/p", Enabled = false });
        using var admin = await host.SessionClientAsync();
        using var feed = await admin.GetAsync("/api/events/feed?stream=porch", HttpCompletionOption.ResponseHeadersRead);
        var starts = Channel.CreateUnbounded<long>();
        var clock = Stopwatch.StartNew();
        var reading = Task.Run(async () =>
        {
            using var reader = new StreamReader(await feed.Content.ReadAsStreamAsync());
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line == "event: start")
                {
                    starts.Writer.TryWrite(clock.ElapsedTicks);
                }
            }
        });

        var label = 0;
        async Task<double[]> MeasureAsync()
        {
            var latencies = new double[Triggers];
            for (var i = 0; i < Triggers; i++)
            {
                var sent = clock.ElapsedTicks;
                using var response = await admin.PostAsync("/api/motion/trigger",
                    TestServerHost.Json($$"""{"stream":"porch","action":"pulse","duration_ms":1000,"label":"l{{label++}}"}"""));
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                var received = await starts.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
                latencies[i] = (received - sent) * 1000.0 / Stopwatch.Frequency;
            }
            Array.Sort(latencies);
            return latencies;
        }

        await MeasureAsync(); // warm-up: first calls JIT and open the connection pool
        var baseline = await MeasureAsync();

        using var blackHole = new TcpListener(IPAddress.Loopback, 0);
        blackHole.Start(64);
        var held = new List<Socket>();
        var accepting = Task.Run(async () =>
        {
            while (true)
            {
                var socket = await blackHole.AcceptSocketAsync();
                lock (held)
                {
                    held.Add(socket); // accepted, never read, never answered
                }
            }
        });
        var hungPort = ((IPEndPoint)blackHole.LocalEndpoint).Port;
        var closedPort = ClosedPort();
        foreach (var url in new[] { $"http://127.0.0.1:{hungPort}/a", $"http://127.0.0.1:{hungPort}/b", $"http://127.0.0.1:{hungPort}/c",
            $"http://127.0.0.1:{closedPort}/d" })
        {
            using var created = await admin.PostAsync("/api/webhooks", TestServerHost.Json(
                $$"""{"url":"{{url}}","secret":"0123456789abcdef","events":["start","update","end"]}"""));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var withHooks = await MeasureAsync();

        await WaitUntilAsync(() => { lock (held) { return held.Count >= 3; } }, "the three hung hooks connected");
        var sender = host.Service<WebhookSender>();
        var hooks = JsonDocument.Parse(await admin.GetStringAsync("/api/webhooks")).RootElement.GetProperty("webhooks");
        var pending = hooks.EnumerateArray().Sum(h => h.GetProperty("pending").GetInt64());
        var refused = hooks.EnumerateArray().Single(h => h.GetProperty("url").GetString()!.EndsWith("/d", StringComparison.Ordinal));
        output.WriteLine($"feed latency without hooks: p50 {baseline[Triggers / 2]:0.0} ms, max {baseline[^1]:0.0} ms; " +
            $"with 3 hung + 1 refused hook: p50 {withHooks[Triggers / 2]:0.0} ms, max {withHooks[^1]:0.0} ms; " +
            $"{held.Count} hung connections, {pending} deliveries pending, delivered {sender.Delivered}");

        Assert.True(pending >= 3 * Triggers, $"deliveries queued behind the dead hooks: {pending}");
        Assert.Equal(0, refused.GetProperty("last_status").GetInt32()); // it was tried and refused
        Assert.True(withHooks[Triggers / 2] <= 2 * baseline[Triggers / 2] + 25,
            $"p50 with dead hooks {withHooks[Triggers / 2]:0.0} ms vs {baseline[Triggers / 2]:0.0} ms without");
        Assert.True(withHooks[^1] < 1000, $"slowest with dead hooks: {withHooks[^1]:0.0} ms");
        lock (held)
        {
            held.ForEach(s => s.Dispose());
        }
    }

    private static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port; // closed when disposed: connecting is refused
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(10);
        }
    }
}
