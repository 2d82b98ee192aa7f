using LightNvr.Data;
using LightNvr.Recording;

namespace LightNvr.Tests.Recording;

/// <summary>
/// The weekly schedule read in a named time zone (Europe/Berlin, tzdata) across both DST changes of 2026, and the
/// timeline's off spans. A fixed-offset reading (CET all year) fails the spring case; a UTC reading fails all of them.
/// </summary>
public sealed class RecordingScheduleTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>168 flags with only the given hours of the week on (Sunday 00:00 = 0).</summary>
    internal static bool[] Only(params int[] hours)
    {
        var flags = new bool[StreamConfig.ScheduleHours];
        foreach (var h in hours)
        {
            flags[h] = true;
        }
        return flags;
    }

    private static DateTimeOffset Utc(int month, int day, int hour, int minute) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Spring_forward_the_hour_after_the_gap_starts_at_01_00_utc()
    {
        var sunday3 = Only(3); // Sunday 03:00-04:00 local; 2026-03-29 is a Sunday, 02:00 CET jumps to 03:00 CEST
        Assert.False(RecordingSchedule.Covers(sunday3, Utc(3, 29, 0, 59), Berlin)); // 01:59 CET
        Assert.True(RecordingSchedule.Covers(sunday3, Utc(3, 29, 1, 0), Berlin)); // 03:00 CEST (CET would say 02:00)
        Assert.True(RecordingSchedule.Covers(sunday3, Utc(3, 29, 1, 59), Berlin));
        Assert.False(RecordingSchedule.Covers(sunday3, Utc(3, 29, 2, 0), Berlin)); // 04:00 CEST
    }

    [Fact]
    public void Fall_back_the_repeated_hour_is_covered_both_times()
    {
        var sunday2 = Only(2); // 2026-10-25: 03:00 CEST falls back to 02:00 CET
        Assert.False(RecordingSchedule.Covers(sunday2, Utc(10, 24, 23, 59), Berlin)); // 01:59 CEST
        Assert.True(RecordingSchedule.Covers(sunday2, Utc(10, 25, 0, 0), Berlin)); // 02:00 CEST
        Assert.True(RecordingSchedule.Covers(sunday2, Utc(10, 25, 1, 30), Berlin)); // 02:30 CET, the second pass
        Assert.False(RecordingSchedule.Covers(sunday2, Utc(10, 25, 2, 0), Berlin)); // 03:00 CET
        var spans = RecordingSchedule.OffSpans(sunday2, Utc(10, 24, 23, 0), Utc(10, 25, 3, 0), Berlin);
        Assert.Equal([(Utc(10, 24, 23, 0), Utc(10, 25, 0, 0)), (Utc(10, 25, 2, 0), Utc(10, 25, 3, 0))], spans); // 2 h on
    }

    [Fact]
    public void Off_spans_are_merged_and_follow_local_hours_in_a_half_hour_zone()
    {
        var spans = RecordingSchedule.OffSpans(Only(3), Utc(3, 29, 0, 0), Utc(3, 29, 4, 0), Berlin);
        Assert.Equal([(Utc(3, 29, 0, 0), Utc(3, 29, 1, 0)), (Utc(3, 29, 2, 0), Utc(3, 29, 4, 0))], spans);

        var kolkata = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata"); // +05:30: local hours start at :30 UTC
        var thursday12 = Only((4 * 24) + 12); // 2026-01-01 is a Thursday; 12:00 IST = 06:30 UTC
        var off = RecordingSchedule.OffSpans(thursday12, Utc(1, 1, 6, 0), Utc(1, 1, 8, 0), kolkata);
        Assert.Equal([(Utc(1, 1, 6, 0), Utc(1, 1, 6, 30)), (Utc(1, 1, 7, 30), Utc(1, 1, 8, 0))], off);
    }

    [Fact]
    public void Continuous_and_event_recording_follow_their_own_schedules()
    {
        var at = Utc(3, 29, 0, 30); // Sunday 01:30 CET
        var stream = new StreamConfig
        {
            Name = "s", Url = "rtsp://s", Record = true, RecordOnSchedule = true, RecordingSchedule = Only(3),
            DetectionBasedRecording = true, DetectionRecordOnSchedule = true, DetectionRecordingSchedule = Only(1),
        };
        Assert.False(RecordingSchedule.ContinuousWanted(stream, at, Berlin));
        Assert.True(RecordingSchedule.EventsWanted(stream, at, Berlin));
        Assert.True(RecordingSchedule.IsRestricted(stream));
        Assert.True(RecordingSchedule.ContinuousWanted(stream with { RecordOnSchedule = false }, at, Berlin));
        Assert.False(RecordingSchedule.ContinuousWanted(stream with { Record = false, RecordOnSchedule = false }, at, Berlin));
        Assert.True(RecordingSchedule.Covers(new bool[7], at, Berlin)); // not 168 flags: ignored, as upstream
    }
}
