using LightNvr.Events;

namespace LightNvr.Tests.Events;

/// <summary>Event merging, the post buffer, holds and bounds of <see cref="EventTracker"/>, on a hand-driven clock.</summary>
public sealed class EventTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Post = TimeSpan.FromSeconds(5);

    private static Observation Seen(double seconds, string label = "motion", float confidence = 0.5f, string? zone = null,
        string stream = "cam1", ObservationSource source = ObservationSource.Motion) =>
        new(stream, source, label, confidence, new NormalizedBox(0.1f, 0.2f, confidence, 0.4f), zone, T0.AddSeconds(seconds));

    [Fact]
    public void A_person_walking_by_for_ten_seconds_at_five_fps_is_one_event_that_ends_a_post_buffer_after_the_last_sighting()
    {
        var tracker = new EventTracker();
        var starts = 0;
        for (var i = 0; i < 50; i++)
        {
            Assert.Empty(tracker.Expire(T0.AddSeconds(i * 0.2)));
            tracker.Observe(Seen(i * 0.2), Post, null, out var started);
            starts += started ? 1 : 0;
        }
        Assert.Equal(1, starts);
        var last = T0.AddSeconds(49 * 0.2);
        Assert.Equal(last + Post, tracker.NextDue);
        Assert.Empty(tracker.Expire(last + Post - TimeSpan.FromMilliseconds(1)));
        var ended = Assert.Single(tracker.Expire(last + Post));
        Assert.Equal(T0, ended.Start);
        Assert.Equal(last, ended.LastActive);
        Assert.Empty(tracker.Open);
    }

    [Fact]
    public void A_sighting_after_the_post_buffer_starts_a_new_event()
    {
        var tracker = new EventTracker();
        tracker.Observe(Seen(0), Post, null, out var first);
        Assert.Single(tracker.Expire(T0.AddSeconds(6)));
        tracker.Observe(Seen(6), Post, null, out var second);
        Assert.True(first);
        Assert.True(second);
    }

    [Fact]
    public void The_best_confidence_and_its_box_are_kept()
    {
        var tracker = new EventTracker();
        tracker.Observe(Seen(0, confidence: 0.4f), Post, null, out _);
        tracker.Observe(Seen(1, confidence: 0.9f), Post, null, out _);
        var e = tracker.Observe(Seen(2, confidence: 0.6f), Post, null, out _)!;
        Assert.Equal(0.9f, e.Confidence);
        Assert.Equal(0.9f, e.Box!.Value.Width);
        Assert.Equal(T0.AddSeconds(2), e.LastSeen);
    }

    [Fact]
    public void Different_labels_zones_sources_and_streams_are_separate_events()
    {
        var tracker = new EventTracker();
        var starts = new[]
        {
            Seen(0), Seen(0, label: "person"), Seen(0, zone: "z1"), Seen(0, stream: "cam2"), Seen(0, source: ObservationSource.Onvif),
            Seen(0.5, zone: "z1"),
        }.Count(o => { tracker.Observe(o, Post, null, out var s); return s; });
        Assert.Equal(5, starts);
    }

    [Fact]
    public void A_pulse_holds_the_event_for_its_duration_then_the_post_buffer_and_stop_releases_a_start()
    {
        var tracker = new EventTracker();
        var e = tracker.Observe(Seen(0, source: ObservationSource.External), Post, T0.AddSeconds(2), out _)!;
        Assert.Equal(T0.AddSeconds(7), e.EndsAt);
        Assert.Empty(tracker.Expire(T0.AddSeconds(6.9)));
        Assert.Single(tracker.Expire(T0.AddSeconds(7)));

        var held = tracker.Observe(Seen(10, source: ObservationSource.External), Post, T0.AddMinutes(10), out _)!;
        Assert.Equal(T0.AddMinutes(10) + Post, held.EndsAt);
        Assert.Single(tracker.Release("cam1", ObservationSource.External, null, T0.AddSeconds(12)));
        Assert.Equal(T0.AddSeconds(17), held.EndsAt);
        Assert.Empty(tracker.Release("cam2", ObservationSource.External, null, T0.AddSeconds(12)));
    }

    [Fact]
    public void Open_events_are_bounded_and_refusals_counted()
    {
        var tracker = new EventTracker();
        for (var i = 0; i < EventTracker.MaxOpenEvents; i++)
        {
            Assert.NotNull(tracker.Observe(Seen(0, label: "l" + i), Post, null, out _));
        }
        Assert.Null(tracker.Observe(Seen(0, label: "one-too-many"), Post, null, out var started));
        Assert.False(started);
        Assert.Equal(1, tracker.Refused);
        Assert.NotNull(tracker.Observe(Seen(1, label: "l0"), Post, null, out _)); // an open one still extends
        Assert.Equal(EventTracker.MaxOpenEvents, tracker.CloseAll(T0.AddSeconds(2)).Count);
        Assert.Null(tracker.NextDue);
    }

    [Fact]
    public void Detection_rows_are_written_at_most_once_a_second_per_stream_and_label()
    {
        var limit = new DetectionRateLimit();
        var written = 0;
        for (var i = 0; i < 50; i++) // 10 s at 5 fps
        {
            written += limit.TryTake("cam1", "person", T0.AddSeconds(i * 0.2)) ? 1 : 0;
        }
        Assert.Equal(10, written);
        Assert.Equal(40, limit.Suppressed);
        Assert.True(limit.TryTake("cam1", "car", T0.AddSeconds(9.9)));
        Assert.True(limit.TryTake("cam2", "person", T0.AddSeconds(9.9)));
    }
}
