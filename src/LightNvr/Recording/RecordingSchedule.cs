using LightNvr.Data;

namespace LightNvr.Recording;

/// <summary>
/// The weekly recording schedule (upstream's <c>recording_schedule</c>: 168 hourly flags, Sunday 00:00 first) read in
/// the server's local time zone (<see cref="TimeProvider.LocalTimeZone"/>, upstream's <c>localtime()</c>). An instant
/// is inside the schedule when the flag of its local weekday and hour is set, so DST needs no special case: in the
/// spring the skipped hour (02:00 in Europe) is never looked up, in the autumn the repeated hour is looked up twice
/// (both passes record when its flag is set). A stepped wall clock simply gives another local hour on the next check.
/// </summary>
public static class RecordingSchedule
{
    /// <summary>
    /// Step of <see cref="OffSpans"/>: every time zone's offset is a multiple of 15 minutes (Nepal +05:45, Chatham
    /// +12:45), so local hour boundaries fall on UTC quarter hours.
    /// </summary>
    public static readonly TimeSpan Step = TimeSpan.FromMinutes(15);

    /// <summary>Longest range <see cref="OffSpans"/> walks (a timeline shows a day; a week of quarters is 672 steps).</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(8);

    /// <summary>True when <paramref name="hours"/> (168 flags) covers <paramref name="utc"/> in <paramref name="zone"/>.</summary>
    public static bool Covers(IReadOnlyList<bool> hours, DateTimeOffset utc, TimeZoneInfo zone)
    {
        if (hours.Count != StreamConfig.ScheduleHours)
        {
            return true; // upstream ignores a schedule that is not 168 flags long
        }
        var local = TimeZoneInfo.ConvertTime(utc, zone);
        return hours[((int)local.DayOfWeek * 24) + local.Hour];
    }

    /// <summary>Continuous recording wanted now: <c>record</c> on and, with <c>record_on_schedule</c>, inside the schedule.</summary>
    public static bool ContinuousWanted(StreamConfig stream, DateTimeOffset utc, TimeZoneInfo zone) =>
        stream.Record && (!stream.RecordOnSchedule || Covers(stream.RecordingSchedule, utc, zone));

    /// <summary>Whether the schedule keeps continuous recording off at some time (<c>record</c> and <c>record_on_schedule</c> on).</summary>
    public static bool IsRestricted(StreamConfig stream) => stream.Record && stream.RecordOnSchedule;

    /// <summary>
    /// Event recording allowed now: <c>detection_based_recording</c> on and, with <c>detection_record_on_schedule</c>,
    /// inside the detection schedule. Outside the continuous schedule events are still recorded when this holds.
    /// </summary>
    public static bool EventsWanted(StreamConfig stream, DateTimeOffset utc, TimeZoneInfo zone) =>
        stream.DetectionBasedRecording
        && (!stream.DetectionRecordOnSchedule || Covers(stream.DetectionRecordingSchedule, utc, zone));

    /// <summary>
    /// The spans of [<paramref name="from"/>, <paramref name="to"/>) outside the schedule (continuous recording held
    /// off), merged, in UTC; the range is cut at <see cref="MaxRange"/>. The timeline marks these.
    /// </summary>
    public static IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> OffSpans(IReadOnlyList<bool> hours,
        DateTimeOffset from, DateTimeOffset to, TimeZoneInfo zone)
    {
        var spans = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        if (to > from + MaxRange)
        {
            to = from + MaxRange;
        }
        DateTimeOffset? offSince = null;
        var t = from;
        while (t < to)
        {
            var next = new DateTimeOffset((t.UtcTicks / Step.Ticks + 1) * Step.Ticks, TimeSpan.Zero);
            if (next > to)
            {
                next = to;
            }
            var on = Covers(hours, t, zone);
            if (!on && offSince is null)
            {
                offSince = t;
            }
            else if (on && offSince is { } since)
            {
                spans.Add((since, t));
                offSince = null;
            }
            t = next;
        }
        if (offSince is { } open)
        {
            spans.Add((open, to));
        }
        return spans;
    }
}
