using LightNvr.Data;
using LightNvr.Interop.Tests.Support;
using LightNvr.Recording;
using LightNvr.Testing;

namespace LightNvr.Interop.Tests.Recording;

/// <summary>
/// Issue 17 item 1 with a real GStreamer camera: the recording service runs on a TestClock in Europe/Berlin set just
/// before the 2026 spring DST change (02:00 CET → 03:00 CEST at 01:00 UTC) and the schedule allows only Sunday
/// 03:00–04:00 local. Nothing is recorded before 01:00 UTC; crossing it starts continuous recording (rows
/// <c>scheduled</c>, playable in ffprobe); crossing 02:00 UTC (04:00 CEST) finishes the segment and stops recording.
/// The camera keeps the real clock (media and segment cuts are real time).
/// </summary>
public sealed class ScheduleInteropTests
{
    [Fact]
    public async Task Continuous_recording_follows_the_schedule_across_a_boundary_and_a_DST_change()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "none", Gop = 15 });
        var clock = new TestClock(new DateTimeOffset(2026, 3, 29, 0, 59, 0, TimeSpan.Zero)); // 01:59 CET
        clock.SetLocalTimeZone(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        var schedule = new bool[StreamConfig.ScheduleHours];
        schedule[3] = true; // Sunday 03:00-04:00 local
        await using var h = await RecordingHarness.StartAsync(null, clock, new StreamConfig
        {
            Name = "cam", Url = camera.Url, Record = true, RecordAudio = false, SegmentDuration = 2,
            RecordOnSchedule = true, RecordingSchedule = schedule,
        });
        await WaitAsync(() => h.Cameras.TryGet("cam", out var c) && c.Hub.FramesIn > 15, "camera running");
        await Task.Delay(1000);
        Assert.Empty(h.Recorder.Recorders);
        Assert.Empty(await h.RowsAsync("cam")); // record is on, but outside the schedule

        await AdvanceUntilAsync(clock, () => h.Recorder.Recorders.Count == 1); // the minute timer at 01:00 UTC
        Assert.InRange(clock.GetUtcNow(), new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 3, 29, 1, 0, 59, TimeSpan.Zero)); // not 02:00 UTC, as a fixed CET offset would say
        var rows = await h.WaitForCompleteAsync("cam", 2, TimeSpan.FromSeconds(20));
        Assert.All(rows, r => Assert.Equal("scheduled", r.TriggerType));
        foreach (var row in rows.Where(r => r.IsComplete))
        {
            var streams = RecordingChecks.Streams(row.FilePath);
            Assert.Contains(streams, s => s.Type == "video" && s.Codec == "h264" && s.Duration > 1.5);
        }

        clock.Advance(TimeSpan.FromMinutes(58)); // 01:58 UTC = 03:58 CEST: still inside
        await Task.Delay(300);
        Assert.Single(h.Recorder.Recorders);
        await AdvanceUntilAsync(clock, () => h.Recorder.Recorders.Count == 0); // 02:00 UTC = 04:00 CEST
        await Task.Delay(1000); // the stopping recorder drains its queue and finishes its segment
        var after = await h.RowsAsync("cam");
        Assert.All(after, r => Assert.True(r.IsComplete)); // the open segment was finished, file and row
        await Task.Delay(2500); // 2 s segments: a running recorder would add a row by now
        Assert.Equal(after.Count, (await h.RowsAsync("cam")).Count);
    }

    private static async Task AdvanceUntilAsync(TestClock clock, Func<bool> condition)
    {
        var end = clock.GetUtcNow().AddMinutes(5);
        while (!condition())
        {
            Assert.True(clock.GetUtcNow() < end, $"not reached by {clock.GetUtcNow():O}");
            clock.Advance(TimeSpan.FromSeconds(10));
            for (var i = 0; i < 50 && !condition(); i++)
            {
                await Task.Delay(10);
            }
        }
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = Environment.TickCount64 + 20_000;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, what);
            await Task.Delay(100);
        }
    }
}
