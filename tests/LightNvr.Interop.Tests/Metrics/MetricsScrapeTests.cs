using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LightNvr.Interop.Tests.Server;
using LightNvr.Interop.Tests.Support;

namespace LightNvr.Interop.Tests.Metrics;

/// <summary>
/// <c>GET /api/metrics</c> of the real server process with a real GStreamer camera recorded and a live MP4 viewer:
/// the per-stream series appear with values that match the camera (15 fps, frames and bytes growing, the recorder
/// writing, one viewer), and Prometheus' own <c>promtool check metrics</c> accepts the text.
/// </summary>
public sealed class MetricsScrapeTests
{
    private const string Token = "interop-metrics-token-0123";
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(45);

    /// <summary>
    /// Upstream's names promtool's lint objects to (a counter without <c>_total</c>, <c>bps</c>/<c>ms</c>/<c>ts</c> as
    /// units): kept as they are so upstream's dashboards work. Every other family must pass the lint.
    /// </summary>
    private static readonly string[] UpstreamNames =
    [
        "lightnvr_stream_bitrate_bps", "lightnvr_stream_frames_dropped", "lightnvr_recording_bytes_written",
        "lightnvr_stream_last_frame_ts",
    ];

    [Fact]
    public async Task A_recorded_camera_with_a_viewer_shows_in_the_metrics_and_promtool_accepts_them()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Fps = 15, Gop = 15 });
        using var server = ServerProcess.Start(p => ServerProcess.DefaultIni(p).Replace("[web]\n", $"[web]\nmetrics_token = {Token}\n",
            StringComparison.Ordinal));
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
        await WaitForServerAsync(server, http);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:test-Password-1")));
        using (var created = await http.PostAsync("/api/streams", new StringContent(
            $$"""{"name":"front.door-1","url":"{{camera.Url}}","enabled":true,"record":true}""", Encoding.UTF8, "application/json")))
        {
            Assert.True(created.IsSuccessStatusCode, $"create: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        }

        // A live viewer for as long as the test runs (progressive MP4, go2rtc's stream.mp4).
        using var viewerCts = new CancellationTokenSource();
        var viewer = WatchAsync(http, "/go2rtc/api/stream.mp4?src=" + Uri.EscapeDataString("front.door-1"), viewerCts.Token);

        using var prometheus = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
        prometheus.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        const string Cam = "{stream=\"front.door-1\"}";
        var watch = Stopwatch.StartNew();
        Dictionary<string, double> first;
        while (true)
        {
            first = Parse(await ScrapeAsync(prometheus));
            if (Get(first, "lightnvr_stream_fps" + Cam) > 0 && Get(first, "lightnvr_recording_bytes_written" + Cam) > 0
                && Get(first, "lightnvr_live_viewers{stream=\"front.door-1\",mode=\"mp4\"}") == 1)
            {
                break;
            }
            Assert.True(watch.Elapsed < MaxWait, "series never showed a running camera:\n" + string.Join('\n', first.Keys.Where(k => k.Contains("cam", StringComparison.Ordinal))));
            await Task.Delay(500);
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        var text = await ScrapeAsync(prometheus);
        var second = Parse(text);
        Assert.Equal(1, Get(second, "lightnvr_stream_up" + Cam));
        Assert.InRange(Get(second, "lightnvr_stream_fps" + Cam), 12, 18); // the camera sends 15
        Assert.InRange(Get(second, "lightnvr_stream_bitrate_bps" + Cam), 10_000, 20_000_000);
        Assert.InRange(Get(second, "lightnvr_stream_last_frame_ts" + Cam), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5,
            DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.Equal(1, Get(second, "lightnvr_recording_active" + Cam));
        // Two seconds at 15 fps of video plus audio: the counters grew by at least the video's 30 frames.
        Assert.True(Get(second, "lightnvr_stream_frames_total" + Cam) >= Get(first, "lightnvr_stream_frames_total" + Cam) + 25);
        Assert.True(Get(second, "lightnvr_stream_bytes_in_total" + Cam) > Get(first, "lightnvr_stream_bytes_in_total" + Cam));
        Assert.True(Get(second, "lightnvr_recording_bytes_written" + Cam) >= Get(first, "lightnvr_recording_bytes_written" + Cam));
        Assert.Equal(0, Get(second, "lightnvr_stream_reconnects_total" + Cam));
        Assert.True(Get(second, "lightnvr_consumer_frames_total{stream=\"front.door-1\",consumer=\"recorder\"}") > 25);
        Assert.True(Get(second, "lightnvr_consumer_frames_total{stream=\"front.door-1\",consumer=\"mp4\"}") > 25);
        Assert.Equal(1, Get(second, "lightnvr_live_viewers{stream=\"front.door-1\",mode=\"mp4\"}"));
        Assert.Equal(1, Get(second, "lightnvr_instance_streams_configured"));
        Assert.Equal(1, Get(second, "lightnvr_instance_streams_up"));
        Assert.InRange(Get(second, "process_resident_memory_bytes"), 20e6, 1e9);
        Assert.Equal(Get(second, "process_resident_memory_bytes"), Get(second, "lightnvr_instance_memory_rss_bytes"), 0.2e6);
        Assert.InRange(Get(second, "lightnvr_storage_available_bytes"), 1, double.MaxValue);

        var (exit, output) = await PromtoolAsync(text);
        Assert.True(exit is 0 or 3, $"promtool check metrics failed ({exit}):\n{output}");
        var problems = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !UpstreamNames.Any(n => l.StartsWith(n + " ", StringComparison.Ordinal))).ToList();
        Assert.True(problems.Count == 0, "promtool lint beyond upstream's names:\n" + string.Join('\n', problems));

        // The camera goes away and comes back: one reconnect counted, the stream up again with frames flowing.
        camera.Restart();
        watch.Restart();
        Dictionary<string, double> third;
        while (true)
        {
            third = Parse(await ScrapeAsync(prometheus));
            if (Get(third, "lightnvr_stream_reconnects_total" + Cam) >= 1 && Get(third, "lightnvr_stream_up" + Cam) == 1
                && Get(third, "lightnvr_stream_last_frame_ts" + Cam) > Get(second, "lightnvr_stream_last_frame_ts" + Cam) + 1)
            {
                break;
            }
            Assert.True(watch.Elapsed < MaxWait, "no reconnect counted: reconnects " + Get(third, "lightnvr_stream_reconnects_total" + Cam));
            await Task.Delay(500);
        }
        Assert.True(Get(third, "lightnvr_stream_frames_total" + Cam) > Get(second, "lightnvr_stream_frames_total" + Cam));

        // Without the token or a user: refused (metrics_auth defaults to viewer).
        using var anonymous = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/metrics")).StatusCode);

        await viewerCts.CancelAsync();
        await viewer;
    }

    private static async Task WatchAsync(HttpClient http, string path, CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new byte[64 * 1024];
            while (await body.ReadAsync(buffer, ct) > 0)
            {
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/api/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Series (name and labels as written) to value; comment lines skipped.</summary>
    private static Dictionary<string, double> Parse(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#'))
            .ToDictionary(l => l[..l.LastIndexOf(' ')], l => double.Parse(l[(l.LastIndexOf(' ') + 1)..].Replace("+Inf", "Infinity"),
                CultureInfo.InvariantCulture), StringComparer.Ordinal);

    private static double Get(Dictionary<string, double> series, string key) =>
        series.TryGetValue(key, out var v) ? v : throw new Xunit.Sdk.XunitException($"no series {key}");

    private static async Task<(int Exit, string Output)> PromtoolAsync(string text)
    {
        var psi = new ProcessStartInfo("promtool", ["check", "metrics"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("promtool did not start (Debian package prometheus)");
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private static async Task WaitForServerAsync(ServerProcess server, HttpClient http)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < MaxWait)
        {
            Assert.False(server.Process.HasExited, "server exited: " + server.Stderr);
            try
            {
                if ((await http.GetAsync("/api/health")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("no /api/health: " + server.Stderr);
    }
}
