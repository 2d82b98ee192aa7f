using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LightNvr.Interop.Tests.Mp4;
using LightNvr.Interop.Tests.Server;
using LightNvr.Interop.Tests.Support;
using Xunit.Abstractions;
using static LightNvr.Interop.Tests.Events.EventServerDb;

namespace LightNvr.Interop.Tests.Events;

/// <summary>
/// Event recording on the real server (child process) with a GStreamer camera (15 fps, 1 s GOP, H.264 + AAC):
/// <c>POST /api/motion/trigger</c> pulse makes one event and one recording (<c>detection_based_recording</c> on,
/// <c>record</c> off) whose first frame is at least pre_detection_buffer − 1 GOP before the trigger and which ends within
/// post_detection_buffer + 1 GOP after the pulse; kill -9 during an event leaves a playable file and, after a restart,
/// a closed event and a completed row.
/// </summary>
[Collection("recording")]
public sealed class EventRecordingInteropTests(ITestOutputHelper output)
{
    private const string Password = "test-Password-1";
    private const int PreBuffer = 3;
    private const int PostBuffer = 2;
    private const double Gop = 1.0;

    private static string Ini(int port) => ServerProcess.DefaultIni(port, """
        [storage]
        mp4_path = mp4
        mp4_directory_format = flat
        """);

    private static async Task<HttpClient> StartStreamAsync(ServerProcess server, GstCamera camera, string name, string extra = "",
        bool record = false)
    {
        var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + Password)));
        await WaitForAsync(server, async () => (await http.GetAsync("/api/health")).IsSuccessStatusCode, "health");
        var body = $$"""{"name":"{{name}}","url":"{{camera.Url}}","record":{{(record ? "true" : "false")}},"detection_based_recording":true,"pre_detection_buffer":{{PreBuffer}},"post_detection_buffer":{{PostBuffer}},"segment_duration":60{{extra}}}""";
        var created = await http.PostAsync("/api/streams", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        // The pre-event buffer is full once it holds the pre buffer's seconds (health's streams_detail says so).
        await WaitForAsync(server, async () =>
        {
            var health = JsonDocument.Parse(await http.GetStringAsync("/api/health")).RootElement;
            return health.TryGetProperty("streams_detail", out var detail) && detail.EnumerateArray().Any(s =>
                s.GetProperty("name").GetString() == name && s.TryGetProperty("pre_buffer_seconds", out var sec) && sec.GetDouble() >= PreBuffer);
        }, "a full pre-event buffer");
        return http;
    }

    [Fact]
    public async Task A_pulse_records_one_file_from_the_pre_buffer_to_the_post_buffer()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Video = "h264", Audio = "aac", Fps = 15, Gop = 15 });
        using var server = ServerProcess.Start(Ini);
        using var http = await StartStreamAsync(server, camera, "door");

        var trigger = DateTimeOffset.UtcNow;
        var response = await http.PostAsync("/api/motion/trigger",
            new StringContent("""{"stream":"door","action":"pulse","duration_ms":1000,"tags":["doorbell"]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(202, (int)response.StatusCode);
        Assert.Contains("\"recording_triggered\":true", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        JsonElement e = default;
        await WaitForAsync(server, async () =>
        {
            var list = JsonDocument.Parse(await http.GetStringAsync("/api/events?stream=door")).RootElement;
            e = list.GetProperty("events").EnumerateArray().FirstOrDefault();
            return list.GetProperty("total").GetInt64() == 1 && !e.GetProperty("active").GetBoolean()
                && e.GetProperty("recording_id").ValueKind == JsonValueKind.Number;
        }, "the event to end with its recording");
        var rows = await WaitForRowsAsync(server, "door", r => r.Count == 1 && r[0].Complete);
        var row = Assert.Single(rows);
        Assert.Equal(row.Id, e.GetProperty("recording_id").GetInt64());
        Assert.Equal("motion", row.Trigger);
        Assert.Equal("", Ffmpeg.DecodeErrors(row.Path));
        // ffprobe: the file's first video frame is a keyframe (the pre-buffer starts at one) at media time 0.
        var (code, first, err) = Ffmpeg.Run("ffprobe", "-v", "error", "-select_streams", "v", "-read_intervals", "%+#1",
            "-show_entries", "frame=key_frame,pts_time", "-of", "csv=p=0", row.Path);
        Assert.True(code == 0, err);
        Assert.StartsWith("1,0.000000", first.Trim(), StringComparison.Ordinal); // key_frame=1, pts_time=0 (csv may add a side-data column)
        var duration = Ffmpeg.FormatDuration(row.Path);
        var startLead = trigger.ToUnixTimeMilliseconds() / 1000.0 - row.Start;
        var tail = row.Start + duration - (trigger.ToUnixTimeMilliseconds() / 1000.0 + 1.0);
        output.WriteLine($"recording {row.Path}: starts {startLead:F2} s before the trigger (row start, whole seconds), " +
            $"{duration:F2} s long, ends {tail:F2} s after the pulse");
        // Row start is whole seconds (floor): at least pre − 1 GOP before the trigger, at most pre + 1 GOP (+1 s rounding).
        Assert.InRange(startLead, PreBuffer - Gop, PreBuffer + Gop + 1);
        // Media: pre buffer (pre − GOP … pre + GOP) + pulse 1 s + post buffer, ending within post + 1 GOP of the pulse.
        Assert.InRange(duration, PreBuffer - Gop + 1 + PostBuffer - 0.5, PreBuffer + Gop + 1 + PostBuffer + Gop + 0.5);
        Assert.InRange(tail, PostBuffer - Gop - 1, PostBuffer + Gop + 1);

        // The event's snapshot: a JPEG from the live stream at its start, served under /api/snapshots.
        var snapshot = JsonDocument.Parse(await http.GetStringAsync($"/api/events/{e.GetProperty("id").GetInt64()}")).RootElement
            .GetProperty("snapshot").GetString();
        Assert.StartsWith("/api/snapshots/door/event_", snapshot, StringComparison.Ordinal);
        var jpeg = await http.GetByteArrayAsync(snapshot);
        Assert.True(jpeg.Length > 1000 && jpeg[0] == 0xFF && jpeg[1] == 0xD8, $"{jpeg.Length} bytes");

        Assert.Contains("doorbell", await http.GetStringAsync($"/api/recordings/{row.Id}/tags"), StringComparison.Ordinal);

        // The recordings list shows it as a motion recording with a detection.
        var listed = JsonDocument.Parse(await http.GetStringAsync("/api/recordings?stream=door&has_detection=1")).RootElement;
        Assert.Equal(1, listed.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal("motion", listed.GetProperty("recordings")[0].GetProperty("capture_method").GetString());
    }

    /// <summary>
    /// Issue 17 item 1: continuous recording configured but limited by a schedule that covers no hour: nothing is
    /// recorded continuously, and an event outside the schedule is still recorded (trigger_type motion).
    /// </summary>
    [Fact]
    public async Task Outside_the_recording_schedule_events_are_still_recorded()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Video = "h264", Audio = "none", Fps = 15, Gop = 15 });
        using var server = ServerProcess.Start(Ini);
        var never = string.Join(",", Enumerable.Repeat("false", 168));
        using var http = await StartStreamAsync(server, camera, "yard",
            ",\"record_on_schedule\":true,\"recording_schedule\":[" + never + "]", record: true);
        var state = JsonDocument.Parse(await http.GetStringAsync("/api/streams/yard/recording")).RootElement;
        Assert.Equal("idle", state.GetProperty("state").GetString());
        Assert.True(state.GetProperty("manual_control_allowed").GetBoolean());

        var response = await http.PostAsync("/api/motion/trigger",
            new StringContent("""{"stream":"yard","action":"pulse","duration_ms":500}""", Encoding.UTF8, "application/json"));
        Assert.Equal(202, (int)response.StatusCode);
        var row = Assert.Single(await WaitForRowsAsync(server, "yard", r => r.Count == 1 && r[0].Complete));
        Assert.Equal("motion", row.Trigger);
        Assert.Equal("", Ffmpeg.DecodeErrors(row.Path));
    }

    [Fact]
    public async Task An_event_on_one_stream_records_the_stream_whose_motion_trigger_source_names_it()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Video = "h264", Audio = "none", Fps = 15, Gop = 15 });
        using var server = ServerProcess.Start(Ini);
        using var setup = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        setup.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + Password)));
        await WaitForAsync(server, async () => (await setup.GetAsync("/api/health")).IsSuccessStatusCode, "health");
        var source = await setup.PostAsync("/api/streams", new StringContent(
            $$"""{"name":"gate","url":"{{camera.Url}}","record":false,"detection_based_recording":false}""", Encoding.UTF8, "application/json"));
        Assert.True(source.IsSuccessStatusCode, await source.Content.ReadAsStringAsync());
        using var http = await StartStreamAsync(server, camera, "drive", ""","motion_trigger_source":"gate" """.Trim());

        var response = await http.PostAsync("/api/motion/trigger",
            new StringContent("""{"stream":"gate","action":"pulse","duration_ms":500}""", Encoding.UTF8, "application/json"));
        Assert.Equal(202, (int)response.StatusCode);
        var row = Assert.Single(await WaitForRowsAsync(server, "drive", r => r.Count == 1 && r[0].Complete));
        Assert.Equal("", Ffmpeg.DecodeErrors(row.Path));
        Assert.Empty(await RowsAsync(Path.Combine(server.Folder, "db", "lightnvr.db"), "gate"));
        var e = JsonDocument.Parse(await http.GetStringAsync("/api/events?stream=gate")).RootElement.GetProperty("events")[0];
        Assert.Equal(row.Id, e.GetProperty("recording_id").GetInt64());
    }

    [Fact]
    public async Task A_camera_that_goes_silent_mid_event_still_gets_its_file_closed_after_the_post_buffer()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Video = "h264", Audio = "none", Fps = 15, Gop = 15 });
        using var server = ServerProcess.Start(Ini);
        using var http = await StartStreamAsync(server, camera, "porch");
        var response = await http.PostAsync("/api/motion/trigger",
            new StringContent("""{"stream":"porch","action":"pulse","duration_ms":2000}""", Encoding.UTF8, "application/json"));
        Assert.Equal(202, (int)response.StatusCode);
        var open = Assert.Single(await WaitForRowsAsync(server, "porch", r => r.Count == 1));
        await Task.Delay(1000);
        camera.Stop(); // mid-event: no frame will ever close the file
        var stopped = Environment.TickCount64;

        var row = Assert.Single(await WaitForRowsAsync(server, "porch", r => r.Count == 1 && r[0].Complete));
        var waited = (Environment.TickCount64 - stopped) / 1000.0;
        output.WriteLine($"file closed {waited:F1} s after the camera stopped (pulse 2 s, post {PostBuffer} s)");
        Assert.Equal(open.Id, row.Id);
        Assert.True(waited <= 1 + PostBuffer + 3, $"closed {waited:F1} s after the camera stopped"); // rest of the pulse + post + a tick
        Assert.Equal("", Ffmpeg.DecodeErrors(row.Path));
        Assert.True(Ffmpeg.FormatDuration(row.Path) >= PreBuffer - Gop + 1, "the pre-buffer and the pulse's first second are in it");
        var e = JsonDocument.Parse(await http.GetStringAsync("/api/events?stream=porch")).RootElement.GetProperty("events")[0];
        Assert.False(e.GetProperty("active").GetBoolean());
        Assert.Equal(row.Id, e.GetProperty("recording_id").GetInt64());
    }

    [Fact]
    public async Task Kill_9_during_an_event_leaves_a_playable_file_and_a_closed_event_after_restart()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Video = "h264", Audio = "aac", Fps = 15, Gop = 15 });
        using var server = ServerProcess.Start(Ini);
        using var http = await StartStreamAsync(server, camera, "yard");
        var response = await http.PostAsync("/api/motion/trigger",
            new StringContent("""{"stream":"yard","action":"start"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(202, (int)response.StatusCode);
        var open = Assert.Single(await WaitForRowsAsync(server, "yard", r => r.Count == 1));
        await Task.Delay(4000); // a few fragments into the event
        server.Process.Kill(); // SIGKILL: no flush, no shutdown tier
        server.WaitForExit(TimeSpan.FromSeconds(10));

        var db = Path.Combine(server.Folder, "db", "lightnvr.db");
        Assert.Null((await EventsAsync(db)).Single().End);
        Assert.False((await RowsAsync(db, "yard")).Single().Complete);

        using var restarted = ServerProcess.Launch(server.Folder, server.Port, ["-c", server.ConfigFile]);
        await WaitForAsync(restarted, async () => (await http.GetAsync("/api/health")).IsSuccessStatusCode, "restart");
        var closed = (await EventsAsync(db)).Single();
        Assert.NotNull(closed.End);
        Assert.Equal(closed.LastSeen, closed.End);
        var repaired = (await RowsAsync(db, "yard")).Single(r => r.Id == open.Id);
        Assert.True(repaired.Complete, "row completed at start-up");
        Assert.Equal("", Ffmpeg.DecodeErrors(repaired.Path));
        var duration = Ffmpeg.FormatDuration(repaired.Path);
        output.WriteLine($"killed event recording kept {duration:F2} s");
        Assert.True(duration >= PreBuffer - Gop + 2, $"{duration:F2} s kept");
        var ev = JsonDocument.Parse(await http.GetStringAsync("/api/events?stream=yard")).RootElement.GetProperty("events")[0];
        Assert.False(ev.GetProperty("active").GetBoolean());
        restarted.Process.Kill();
        restarted.WaitForExit(TimeSpan.FromSeconds(10));
    }
}
