using System.Net;
using System.Text.Json;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Events;
using LightNvr.Hosting;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Api.Events;

/// <summary>
/// The event API on the whole server (real HTTP, real SQLite, the server's own clock driven by hand): the external
/// trigger makes one event that ends its post buffer after the pulse, the list and one event, detection results,
/// the SSE feed, tag-limited callers, snapshots, and the detection tier's shutdown closing open events.
/// </summary>
public sealed class EventApiTests
{
    private static async Task<TestServerHost> StartAsync()
    {
        var host = await TestServerHost.StartAsync(full: true);
        var streams = host.Service<StreamStore>();
        // Disabled: no camera connection; events need none (event recording is covered by the interop tests).
        await streams.InsertAsync(new StreamConfig { Name = "porch", Url = "rtsp://127.0.0.1:1/p", Enabled = false, Tags = "front",
            PostDetectionBuffer = 3, DetectionBasedRecording = true, Record = false });
        await streams.InsertAsync(new StreamConfig { Name = "garage", Url = "rtsp://127.0.0.1:1/g", Enabled = false, Tags = "garage",
            PostDetectionBuffer = 3 });
        return host;
    }

    internal static async Task<JsonElement> WaitForAsync(HttpClient client, string path, Func<JsonElement, bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var doc = JsonDocument.Parse(await client.GetStringAsync(path)).RootElement;
            if (until(doc))
            {
                return doc;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{path}: {doc}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_pulse_makes_one_event_that_ends_the_post_buffer_after_the_pulse()
    {
        await using var host = await StartAsync();
        using var admin = await host.SessionClientAsync();
        var t0 = host.Time.GetUtcNow().ToUnixTimeSeconds();
        using var response = await admin.PostAsync("/api/motion/trigger",
            TestServerHost.Json("""{"stream":"porch","action":"pulse","duration_ms":2000}"""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("""{"success":true,"stream":"porch","action":"pulse","duration_ms":2000,"recording_triggered":true,"detections_stored":1,"tags_applied":0}""",
            await response.Content.ReadAsStringAsync());

        var list = await WaitForAsync(admin, "/api/events", d => d.GetProperty("total").GetInt64() == 1);
        var e = list.GetProperty("events")[0];
        Assert.True(e.GetProperty("active").GetBoolean());
        Assert.Equal("external", e.GetProperty("source").GetString());
        Assert.Equal("motion", e.GetProperty("label").GetString());
        Assert.Equal(t0, e.GetProperty("start_time").GetInt64());
        Assert.Equal(JsonValueKind.Null, e.GetProperty("end_time").ValueKind);
        Assert.Equal(JsonValueKind.Null, e.GetProperty("box").ValueKind);
        var id = e.GetProperty("id").GetInt64();

        // Pulse 2 s + post buffer 3 s: still open at 4.9 s, closed at 5 s, ending when the pulse ended.
        host.Time.Advance(TimeSpan.FromSeconds(4.9));
        await Task.Delay(200);
        Assert.True(JsonDocument.Parse(await admin.GetStringAsync($"/api/events/{id}")).RootElement.GetProperty("active").GetBoolean());
        host.Time.Advance(TimeSpan.FromSeconds(0.1));
        var ended = await WaitForAsync(admin, $"/api/events/{id}", d => !d.GetProperty("active").GetBoolean());
        Assert.Equal(t0 + 2, ended.GetProperty("end_time").GetInt64());

        var results = JsonDocument.Parse(await admin.GetStringAsync($"/api/detection/results/porch?start={t0 - 1}")).RootElement;
        var detection = Assert.Single(results.GetProperty("detections").EnumerateArray());
        Assert.Equal(t0, detection.GetProperty("timestamp").GetInt64());
        Assert.Equal(t0 + 2, detection.GetProperty("end_timestamp").GetInt64());
        Assert.Equal(1.0, detection.GetProperty("confidence").GetDouble());

        // A second pulse after the end is a second event.
        using var again = await admin.PostAsync("/api/motion/trigger", TestServerHost.Json("""{"stream":"porch","action":"pulse"}"""));
        await WaitForAsync(admin, "/api/events?stream=porch&source=external", d => d.GetProperty("total").GetInt64() == 2);
    }

    [Fact]
    public async Task Start_holds_until_stop_and_a_stream_without_event_recording_gets_a_warning()
    {
        await using var host = await StartAsync();
        using var admin = await host.SessionClientAsync();
        using var start = await admin.PostAsync("/api/motion/trigger",
            TestServerHost.Json("""{"stream":"garage","action":"start","label":"doorbell","confidence":0.8}"""));
        var body = JsonDocument.Parse(await start.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        Assert.False(body.GetProperty("recording_triggered").GetBoolean());
        Assert.Equal("Detection-based recording is disabled for this stream", body.GetProperty("warning").GetString());
        await WaitForAsync(admin, "/api/events?label=doorbell", d => d.GetProperty("total").GetInt64() == 1);

        host.Time.Advance(TimeSpan.FromMinutes(5)); // held: no end
        await Task.Delay(200);
        var open = JsonDocument.Parse(await admin.GetStringAsync("/api/events?label=doorbell")).RootElement.GetProperty("events")[0];
        Assert.True(open.GetProperty("active").GetBoolean());
        Assert.Equal(0.8, open.GetProperty("confidence").GetDouble(), 3);

        using var stop = await admin.PostAsync("/api/motion/trigger", TestServerHost.Json("""{"stream":"garage","action":"stop"}"""));
        Assert.Equal(HttpStatusCode.Accepted, stop.StatusCode);
        await Task.Delay(200);
        host.Time.Advance(TimeSpan.FromSeconds(3));
        var closed = await WaitForAsync(admin, "/api/events?label=doorbell",
            d => !d.GetProperty("events")[0].GetProperty("active").GetBoolean());
        var e = closed.GetProperty("events")[0];
        Assert.Equal(e.GetProperty("start_time").GetInt64() + 300, e.GetProperty("end_time").GetInt64());
    }

    [Fact]
    public async Task Trigger_tags_go_onto_the_events_recording()
    {
        await using var host = await StartAsync();
        using var admin = await host.SessionClientAsync();
        var recordings = host.Service<RecordingStore>();
        var rec = await recordings.InsertOpenAsync(new RecordingRecord
        {
            StreamName = "porch", FilePath = "/none.mp4", StartTime = host.Time.GetUtcNow(), TriggerType = "motion",
        });
        using var response = await admin.PostAsync("/api/motion/trigger",
            TestServerHost.Json("""{"stream":"porch","action":"start","tags":["doorbell","", "doorbell","visitor"]}"""));
        Assert.Contains("\"tags_applied\":2", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var e = (await WaitForAsync(admin, "/api/events", d => d.GetProperty("total").GetInt64() == 1)).GetProperty("events")[0];

        // What the event recorder does once its file has a row (the interop tests cover the real one).
        host.Service<EventService>().Attach(e.GetProperty("id").GetInt64(), null, rec);
        var tags = await WaitForAsync(admin, $"/api/recordings/{rec}/tags", d => d.GetProperty("tags").GetArrayLength() == 2);
        Assert.Equal(["doorbell", "visitor"], tags.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).Order());
        Assert.Equal(rec, JsonDocument.Parse(await admin.GetStringAsync($"/api/events/{e.GetProperty("id").GetInt64()}")).RootElement
            .GetProperty("recording_id").GetInt64());
    }

    [Theory]
    [InlineData("not json", 400, "Invalid or missing JSON body")]
    [InlineData("""{"action":"pulse"}""", 400, "Field 'stream' is required")]
    [InlineData("""{"stream":"porch","action":"pulse","duration_ms":-1}""", 400, "Field 'duration_ms' must be a positive integer")]
    [InlineData("""{"stream":"nosuch","action":"pulse"}""", 404, "Stream not found")]
    public async Task Bad_triggers_get_upstreams_errors(string body, int status, string message)
    {
        await using var host = await StartAsync();
        using var admin = await host.SessionClientAsync();
        using var response = await admin.PostAsync("/api/motion/trigger", TestServerHost.Json(body));
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(message, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Lists_page_filter_and_tag_limited_viewers_see_only_their_streams()
    {
        await using var host = await StartAsync();
        var store = host.Service<EventStore>();
        // Times within the last hour: events older than the retention days would be purged by the server's own
        // retention sweep while the test runs (it lost some of 25 on PostgreSQL, where the sweep's timing differs).
        var t0 = host.Time.GetUtcNow().ToUnixTimeSeconds() - 3600;
        for (var i = 0; i < 25; i++)
        {
            await store.InsertAsync(new EventRecord
            {
                StreamName = i % 5 == 0 ? "garage" : "porch", Source = i % 2 == 0 ? "motion" : "object", Label = i % 3 == 0 ? "person" : "car",
                StartTime = t0 + i, EndTime = t0 + 5 + i, LastSeen = t0 + 5 + i, X = 0.1, Y = 0.2, Width = 0.3, Height = 0.4,
                Zone = "z1",
            });
        }
        using var admin = await host.SessionClientAsync();
        var page = JsonDocument.Parse(await admin.GetStringAsync("/api/events?limit=10&page=3")).RootElement;
        Assert.Equal(25, page.GetProperty("total").GetInt64());
        Assert.Equal(3, page.GetProperty("pages").GetInt32());
        Assert.Equal(5, page.GetProperty("events").GetArrayLength());
        var first = JsonDocument.Parse(await admin.GetStringAsync("/api/events?limit=1")).RootElement.GetProperty("events")[0];
        Assert.Equal(t0 + 24, first.GetProperty("start_time").GetInt64()); // newest first
        Assert.Equal(0.3, first.GetProperty("box").GetProperty("width").GetDouble(), 3);
        Assert.Equal("z1", first.GetProperty("zone").GetString());
        // garage: i = 0, 5, 10, 15, 20; of those motion (even): 0, 10, 20; of those car (i % 3 != 0): 10, 20.
        Assert.Equal(2, JsonDocument.Parse(await admin.GetStringAsync("/api/events?stream=garage&source=motion&label=car")).RootElement
            .GetProperty("total").GetInt64());
        Assert.Equal(5, JsonDocument.Parse(await admin.GetStringAsync(
            $"/api/events?start={t0 + 10}&end={t0 + 14}")).RootElement.GetProperty("total").GetInt64());
        using var bad = await admin.GetAsync("/api/events?source=laser");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var badId = await admin.GetAsync("/api/events/abc");
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        using var missing = await admin.GetAsync("/api/events/999");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var (hash, salt) = host.Service<PasswordHasher>().Hash("gina-password");
        await host.Service<UserStore>().InsertAsync(new UserRecord
        {
            Username = "gina", PasswordHash = hash, Salt = salt, Role = Role.Viewer, AllowedTags = "garage",
        });
        using var gina = await host.SessionClientAsync("gina", "gina-password");
        var limited = JsonDocument.Parse(await gina.GetStringAsync("/api/events?limit=100")).RootElement;
        Assert.Equal(5, limited.GetProperty("total").GetInt64());
        Assert.All(limited.GetProperty("events").EnumerateArray(), e => Assert.Equal("garage", e.GetProperty("stream").GetString()));
        using var porch = await gina.GetAsync("/api/events?stream=porch");
        Assert.Equal(HttpStatusCode.Forbidden, porch.StatusCode);
        using var porchEvent = await gina.GetAsync("/api/events/2");
        Assert.Equal(HttpStatusCode.Forbidden, porchEvent.StatusCode);
    }
}
