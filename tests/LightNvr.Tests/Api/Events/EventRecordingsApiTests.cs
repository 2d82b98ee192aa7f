using System.Text.Json;
using LightNvr.Data;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Api.Events;

/// <summary>
/// With continuous recording on, events write no second file: the continuous segment covering them lists
/// <c>has_detection</c> and upstream's <c>detection_labels</c>, and the timeline shows the events as detection intervals.
/// Event recordings (trigger_type motion) count as detection recordings.
/// </summary>
public sealed class EventRecordingsApiTests
{
    [Fact]
    public async Task A_continuous_segment_covering_an_event_shows_its_detections_and_the_timeline_its_interval()
    {
        await using var host = await TestServerHost.StartAsync(full: true);
        await host.Service<StreamStore>().InsertAsync(new StreamConfig { Name = "cam1", Url = "rtsp://127.0.0.1:1/c", Enabled = false });
        var t0 = host.Time.GetUtcNow().AddHours(-1);
        var s = t0.ToUnixTimeSeconds();
        var recordings = host.Service<RecordingStore>();
        Directory.CreateDirectory(host.Config.Storage.Path);
        async Task<long> AddAsync(DateTimeOffset start, string trigger)
        {
            var path = Path.Combine(host.Config.Storage.Path, $"{trigger}-{start.ToUnixTimeSeconds()}.mp4");
            await File.WriteAllBytesAsync(path, new byte[100]);
            var id = await recordings.InsertOpenAsync(new RecordingRecord { StreamName = "cam1", FilePath = path, StartTime = start, TriggerType = trigger });
            await recordings.UpdateProgressAsync(id, 100, start.AddSeconds(60), isComplete: true);
            return id;
        }
        var covered = await AddAsync(t0, "scheduled");
        var quiet = await AddAsync(t0.AddSeconds(60), "scheduled");
        var motion = await AddAsync(t0.AddSeconds(120), "motion");
        var detections = host.Service<DetectionStore>();
        foreach (var (dt, label) in new[] { (10, "person"), (11, "person"), (12, "car") })
        {
            await detections.InsertAsync(new DetectionRow("cam1", s + dt, label, 0.9, 0.1, 0.1, 0.2, 0.2, null, "object", null));
        }
        var eventId = await host.Service<EventStore>().InsertAsync(new EventRecord
        {
            StreamName = "cam1", Source = "object", Label = "person", Confidence = 0.9, StartTime = s + 10, EndTime = s + 14, LastSeen = s + 14,
        });

        using var admin = await host.SessionClientAsync();
        var list = JsonDocument.Parse(await admin.GetStringAsync("/api/recordings?stream=cam1&order=asc")).RootElement.GetProperty("recordings");
        var byId = list.EnumerateArray().ToDictionary(r => r.GetProperty("id").GetInt64());
        Assert.True(byId[covered].GetProperty("has_detection").GetBoolean());
        Assert.Equal("""[{"label":"person","count":2},{"label":"car","count":1}]""", byId[covered].GetProperty("detection_labels").GetRawText());
        Assert.False(byId[quiet].GetProperty("has_detection").GetBoolean());
        Assert.False(byId[quiet].TryGetProperty("detection_labels", out _));
        Assert.True(byId[motion].GetProperty("has_detection").GetBoolean());
        Assert.Equal("motion", byId[motion].GetProperty("capture_method").GetString());
        var single = JsonDocument.Parse(await admin.GetStringAsync($"/api/recordings/{covered}")).RootElement;
        Assert.Equal(2, single.GetProperty("detection_labels")[0].GetProperty("count").GetInt64());
        var filtered = JsonDocument.Parse(await admin.GetStringAsync("/api/recordings?stream=cam1&detection_label=car")).RootElement;
        Assert.Equal(covered, filtered.GetProperty("recordings").EnumerateArray().Single().GetProperty("id").GetInt64());

        var timeline = JsonDocument.Parse(await admin.GetStringAsync(
            $"/api/timeline/segments?stream=cam1&start={s - 10}&end={s + 300}")).RootElement;
        var interval = timeline.GetProperty("detection_intervals").EnumerateArray().Single();
        Assert.Equal(s + 10, interval.GetProperty("start_timestamp").GetInt64());
        Assert.Equal(s + 14, interval.GetProperty("end_timestamp").GetInt64());
        Assert.Equal(eventId, interval.GetProperty("event_id").GetInt64());
        var segments = timeline.GetProperty("segments").EnumerateArray().ToDictionary(x => x.GetProperty("id").GetInt64());
        Assert.True(segments[covered].GetProperty("has_detection").GetBoolean());
        Assert.False(segments[quiet].GetProperty("has_detection").GetBoolean());
        Assert.True(segments[motion].GetProperty("has_detection").GetBoolean());
    }
}
