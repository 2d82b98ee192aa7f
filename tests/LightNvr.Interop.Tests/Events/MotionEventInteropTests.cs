using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LightNvr.Interop.Tests.Mp4;
using LightNvr.Interop.Tests.Server;
using Xunit.Abstractions;
using static LightNvr.Interop.Tests.Events.EventServerDb;

namespace LightNvr.Interop.Tests.Events;

/// <summary>
/// Motion to event to recording on the real server (child process): ffmpeg draws a scene (lavfi) and publishes it over
/// RTSP into the server's built-in restream; the stream has <c>detection_model: "motion"</c>, a zone on the left half,
/// event recording on and continuous recording off. A white box crosses the zone during a known window of the scene;
/// the recorded file is judged by its pictures (ffmpeg <c>signalstats</c> finds the frames that show the box), so
/// "the motion began" is a media time in the file itself, not a guess from wall clocks. Motion only outside the zone
/// makes nothing; the external trigger on that stream makes an event; kill -9 during a motion event leaves a playable
/// file and a closed event after restart.
/// </summary>
[Collection("recording")]
public sealed partial class MotionEventInteropTests(ITestOutputHelper output)
{
    private const string Password = "test-Password-1";
    private const int PreBuffer = 4;
    private const int PostBuffer = 3;
    private const double Gop = 1.0; // the publisher's -g 15 at 15 fps

    /// <summary>When the box crosses (scene seconds): late enough for the server to connect and fill its pre-buffer.</summary>
    private const int MotionFrom = 15;
    private const int MotionTo = 21;

    /// <summary>Box rows in the 640x360 picture: y 150–210 (what the file check crops).</summary>
    private const int BoxTop = 150;

    /// <summary>Gray 128 background, light noise; a white 60x60 box at x0 + 30 px/s during the window, off-picture otherwise.</summary>
    private static string Scene(int x0, int from, int to) =>
        "color=c=gray:s=640x360:r=15[bg];color=c=white:s=60x60:r=15[box];" +
        $"[bg][box]overlay=x='if(between(t\\,{from}\\,{to})\\,{x0}+(t-{from})*30\\,-200)':y={BoxTop},noise=alls=8:allf=t[out0]";

    [Fact]
    public async Task Motion_in_the_zone_makes_one_event_and_one_recording_around_it_and_outside_makes_none()
    {
        using var server = ServerProcess.Start(p => ServerProcess.DefaultIni(p));
        using var http = await ClientAsync(server);
        await AddMotionStreamAsync(http, server, "inside");
        await AddMotionStreamAsync(http, server, "outside");
        using var inside = Publish(server, "inside", Scene(20, MotionFrom, MotionTo), 45);     // x 20–260 of 0–320: in the zone
        using var outside = Publish(server, "outside", Scene(400, MotionFrom, MotionTo), 45); // x 400–640: right of it
        var published = Stopwatch.StartNew();

        await WaitForAsync(server, async () => Detail(await HealthAsync(http), "inside") is { } d &&
            d.GetProperty("pre_buffer_seconds").GetDouble() >= PreBuffer &&
            d.GetProperty("detection").GetProperty("frames_analyzed").GetInt64() >= 10, "detection and a full pre-buffer");
        Assert.True(published.Elapsed.TotalSeconds < MotionFrom - 1,
            $"the server took {published.Elapsed.TotalSeconds:F1} s to fill the pre-buffer: the scene's motion came too early to judge");

        JsonElement e = default;
        await WaitForAsync(server, async () =>
        {
            var list = JsonDocument.Parse(await http.GetStringAsync("/api/events?stream=inside")).RootElement;
            e = list.GetProperty("events").EnumerateArray().FirstOrDefault();
            return list.GetProperty("total").GetInt64() >= 1 && !e.GetProperty("active").GetBoolean()
                && e.GetProperty("recording_id").ValueKind == JsonValueKind.Number;
        }, "the motion event to end with its recording", seconds: MotionTo + PostBuffer + 30);
        var row = Assert.Single(await WaitForRowsAsync(server, "inside", r => r.Count >= 1 && r.All(x => x.Complete)));
        await Task.Delay(TimeSpan.FromSeconds(2)); // nothing more comes after the post buffer
        var events = JsonDocument.Parse(await http.GetStringAsync("/api/events?stream=inside")).RootElement;
        Assert.Equal(1, events.GetProperty("total").GetInt64());
        Assert.Single(await RowsAsync(DatabaseOf(server), "inside"));
        Assert.Equal("motion", e.GetProperty("source").GetString());
        Assert.Equal("motion", e.GetProperty("label").GetString());
        Assert.Equal("inside-left", e.GetProperty("zone").GetString());
        Assert.Equal(row.Id, e.GetProperty("recording_id").GetInt64());
        Assert.Equal("motion", row.Trigger);
        Assert.Equal("", Ffmpeg.DecodeErrors(row.Path));

        // The file judged by its pictures: media times of the first and last frame that show the box.
        var (first, last, duration) = BoxFrames(row.Path);
        var stopped = last + (1.0 / 15); // the first frame without the box
        var lead = first;
        var tail = duration - stopped;
        long start = e.GetProperty("start_time").GetInt64(), end = e.GetProperty("end_time").GetInt64();
        output.WriteLine($"file {duration:F2} s: box from {first:F2} to {last:F2} s (lead {lead:F2} s, tail {tail:F2} s); " +
            $"event {start}–{end} ({end - start} s), row start {row.Start} (event start − row start {start - row.Start} s)");
        Assert.InRange(last - first, MotionTo - MotionFrom - 0.3, MotionTo - MotionFrom + 0.3); // the whole crossing is in the file
        Assert.True(lead >= PreBuffer - Gop, $"the file starts {lead:F2} s before the motion (at least {PreBuffer - Gop})");
        Assert.True(lead <= PreBuffer + Gop + 1, $"the file starts {lead:F2} s before the motion (detection latency + pre + GOP at most)");
        Assert.True(tail <= PostBuffer + Gop, $"the file ends {tail:F2} s after the motion stopped (at most post + 1 GOP)");
        Assert.True(tail >= PostBuffer - 1, $"the file ends {tail:F2} s after the motion stopped (the post buffer, less a report interval)");
        // The event's times (whole seconds) agree with the file: it lasts the crossing, the file starts the pre buffer before it.
        Assert.InRange(end - start, MotionTo - MotionFrom - 2, MotionTo - MotionFrom + 1);
        Assert.InRange(start - row.Start, PreBuffer - 1, PreBuffer + Gop + 1);

        // Outside the zone: the decoder saw the whole scene (crossing included) and nothing came of it.
        var outsideDetail = Detail(await HealthAsync(http), "outside")!.Value.GetProperty("detection");
        Assert.True(outsideDetail.GetProperty("frames_analyzed").GetInt64() >= (MotionTo + 2) * 4, outsideDetail.ToString());
        Assert.Equal(0, outsideDetail.GetProperty("observations").GetInt64());
        Assert.Equal(0, JsonDocument.Parse(await http.GetStringAsync("/api/events?stream=outside")).RootElement.GetProperty("total").GetInt64());
        Assert.Empty(await RowsAsync(DatabaseOf(server), "outside"));

        // The external trigger on that stream makes an event (and starts its recording).
        var response = await http.PostAsync("/api/motion/trigger",
            new StringContent("""{"stream":"outside","action":"pulse","duration_ms":1000}""", Encoding.UTF8, "application/json"));
        Assert.Equal(202, (int)response.StatusCode);
        Assert.Contains("\"recording_triggered\":true", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await WaitForAsync(server, async () =>
        {
            var list = JsonDocument.Parse(await http.GetStringAsync("/api/events?stream=outside")).RootElement;
            return list.GetProperty("total").GetInt64() == 1 &&
                list.GetProperty("events")[0].GetProperty("source").GetString() == "external";
        }, "the triggered event");
        await WaitForRowsAsync(server, "outside", r => r.Count == 1);
    }

    [Fact]
    public async Task Kill_9_during_a_motion_event_leaves_a_playable_file_and_a_closed_event_after_restart()
    {
        using var server = ServerProcess.Start(p => ServerProcess.DefaultIni(p));
        using var http = await ClientAsync(server);
        await AddMotionStreamAsync(http, server, "yard");
        using var camera = Publish(server, "yard", Scene(20, 8, 18), 40); // crossing the zone from scene second 8 to 18
        var open = Assert.Single(await WaitForRowsAsync(server, "yard", r => r.Count == 1, seconds: 40));
        await WaitForAsync(server, async () => JsonDocument.Parse(await http.GetStringAsync("/api/events?stream=yard"))
            .RootElement.GetProperty("events").EnumerateArray().Any(x => x.GetProperty("active").GetBoolean()), "an open motion event");
        await Task.Delay(3000); // a few fragments into the event
        server.Process.Kill(); // SIGKILL: no flush, no shutdown tier
        server.WaitForExit(TimeSpan.FromSeconds(10));

        var db = DatabaseOf(server);
        Assert.Null(Assert.Single(await EventsAsync(db, "yard")).End);
        Assert.False(Assert.Single(await RowsAsync(db, "yard")).Complete);

        using var restarted = ServerProcess.Launch(server.Folder, server.Port, ["-c", server.ConfigFile]);
        await WaitForAsync(restarted, async () => (await http.GetAsync("/api/health")).IsSuccessStatusCode, "restart");
        var closed = (await EventsAsync(db, "yard"))[0];
        Assert.NotNull(closed.End);
        Assert.Equal(closed.LastSeen, closed.End);
        var repaired = (await RowsAsync(db, "yard")).Single(r => r.Id == open.Id);
        Assert.True(repaired.Complete, "row completed at start-up");
        Assert.Equal("", Ffmpeg.DecodeErrors(repaired.Path));
        var (first, _, duration) = BoxFrames(repaired.Path);
        output.WriteLine($"killed motion recording kept {duration:F2} s, box from {first:F2} s");
        Assert.True(first >= PreBuffer - Gop, $"box at {first:F2} s: the pre-buffer is in the file");
        Assert.True(duration >= first + 2, $"{duration:F2} s kept");
        restarted.Process.Kill();
        restarted.WaitForExit(TimeSpan.FromSeconds(10));
    }

    private static async Task<HttpClient> ClientAsync(ServerProcess server)
    {
        var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + Password)));
        await WaitForAsync(server, async () => (await http.GetAsync("/api/health")).IsSuccessStatusCode, "health");
        return http;
    }

    /// <summary>A publish-mode stream with motion detection, event recording (pre/post buffers) and a zone on the left half.</summary>
    private static async Task AddMotionStreamAsync(HttpClient http, ServerProcess server, string name)
    {
        var body = $$"""{"name":"{{name}}","url":"rtsp://127.0.0.1:{{RtspPort(server)}}/{{name}}","record":false,"detection_model":"motion","detection_based_recording":true,"pre_detection_buffer":{{PreBuffer}},"post_detection_buffer":{{PostBuffer}},"segment_duration":60}""";
        var created = await http.PostAsync("/api/streams", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var zones = await http.PostAsync($"/api/streams/{name}/zones", new StringContent(
            $$"""{"zones":[{"id":"{{name}}-left","name":"Left","enabled":true,"polygon":[{"x":0,"y":0},{"x":0.5,"y":0},{"x":0.5,"y":1},{"x":0,"y":1}]}]}""",
            Encoding.UTF8, "application/json"));
        Assert.True(zones.IsSuccessStatusCode, await zones.Content.ReadAsStringAsync());
    }

    private static int RtspPort(ServerProcess server) =>
        int.Parse(RtspPortLine().Match(File.ReadAllText(server.ConfigFile)).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"rtsp_port\s*=\s*(\d+)")]
    private static partial Regex RtspPortLine();

    /// <summary>ffmpeg publishing <paramref name="lavfi"/> in real time (1 s GOP, no B-frames) into the server's restream.</summary>
    private static Publisher Publish(ServerProcess server, string name, string lavfi, int seconds)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     "-hide_banner", "-nostdin", "-v", "error", "-re", "-f", "lavfi", "-i", lavfi, "-t", seconds.ToString(CultureInfo.InvariantCulture),
                     "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "15", "-bf", "0",
                     "-pix_fmt", "yuv420p", "-f", "rtsp", "-rtsp_transport", "tcp",
                     $"rtsp://admin:{Password}@127.0.0.1:{RtspPort(server)}/{name}",
                 })
        {
            psi.ArgumentList.Add(a);
        }
        var process = Process.Start(psi)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return new Publisher(process);
    }

    private sealed class Publisher(Process process) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(true);
                }
            }
            catch (InvalidOperationException)
            {
            }
            process.Dispose();
        }
    }

    private static async Task<JsonElement> HealthAsync(HttpClient http) =>
        JsonDocument.Parse(await http.GetStringAsync("/api/health")).RootElement;

    private static JsonElement? Detail(JsonElement health, string name) =>
        health.TryGetProperty("streams_detail", out var detail)
            ? detail.EnumerateArray().Where(s => s.GetProperty("name").GetString() == name && s.TryGetProperty("detection", out _) &&
                s.TryGetProperty("pre_buffer_seconds", out _)).Cast<JsonElement?>().FirstOrDefault()
            : null;

    /// <summary>
    /// Media times of the first and last frame whose box rows hold white (signalstats YMAX over 200; the noisy gray
    /// background stays under 160), and the file's duration.
    /// </summary>
    private static (double First, double Last, double Duration) BoxFrames(string path)
    {
        var stats = Path.Combine(Path.GetTempPath(), "lightnvr-box-" + Guid.NewGuid().ToString("N")[..8] + ".txt");
        try
        {
            var (code, _, err) = Ffmpeg.Run("ffmpeg", "-hide_banner", "-v", "error", "-i", path, "-vf",
                $"crop=640:60:0:{BoxTop},signalstats,metadata=print:key=lavfi.signalstats.YMAX:file={stats}", "-f", "null", "-");
            Assert.True(code == 0, err);
            double? first = null, last = null, time = 0;
            foreach (var line in File.ReadLines(stats))
            {
                if (line.StartsWith("frame:", StringComparison.Ordinal))
                {
                    time = double.Parse(line[(line.IndexOf("pts_time:", StringComparison.Ordinal) + 9)..], CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("lavfi.signalstats.YMAX=", StringComparison.Ordinal) &&
                         int.Parse(line[23..], CultureInfo.InvariantCulture) > 200)
                {
                    first ??= time;
                    last = time;
                }
            }
            Assert.True(first is not null, $"no frame of {path} shows the box");
            return (first!.Value, last!.Value, Ffmpeg.FormatDuration(path));
        }
        finally
        {
            File.Delete(stats);
        }
    }
}
