namespace LightNvr.Events;

/// <summary>
/// An event in progress, owned by <see cref="EventTracker"/> (one thread). It keeps the best confidence and its box,
/// and ends <see cref="PostBuffer"/> after its last observation or after a trigger's hold, whichever is later.
/// </summary>
public sealed class OpenEvent(EventKey key, DateTimeOffset start, TimeSpan postBuffer)
{
    public EventKey Key { get; } = key;

    /// <summary>The row's id once inserted (0 before).</summary>
    public long Id { get; set; }

    public DateTimeOffset Start { get; } = start;

    public DateTimeOffset LastSeen { get; set; } = start;

    /// <summary>An external <c>start</c> (until <c>stop</c>) or <c>pulse</c> (for its duration) keeps the event alive.</summary>
    public DateTimeOffset HeldUntil { get; set; } = DateTimeOffset.MinValue;

    public TimeSpan PostBuffer { get; } = postBuffer;

    public float Confidence { get; set; }

    public NormalizedBox? Box { get; set; }

    public string? SnapshotPath { get; set; }

    public long? RecordingId { get; set; }

    /// <summary>Recording tags an external trigger asked for; applied when the event's recording is known.</summary>
    public HashSet<string> Tags { get; } = new(StringComparer.Ordinal);

    /// <summary>When the thing was last there: the last observation or the end of the hold.</summary>
    public DateTimeOffset LastActive => HeldUntil > LastSeen ? HeldUntil : LastSeen;

    /// <summary>When the event closes unless observed again.</summary>
    public DateTimeOffset EndsAt => LastActive + PostBuffer;

    /// <summary>The row as it stands; <paramref name="ended"/> gives it its end time.</summary>
    public Data.EventRecord ToRecord(bool ended) => new()
    {
        Id = Id,
        StreamName = Key.Stream,
        Source = EventSources.Name(Key.Source),
        Label = Key.Label,
        Confidence = Math.Round(Confidence, 4),
        X = Box?.X, Y = Box?.Y, Width = Box?.Width, Height = Box?.Height,
        Zone = Key.Zone,
        StartTime = Start.ToUnixTimeSeconds(),
        EndTime = ended ? LastActive.ToUnixTimeSeconds() : null,
        LastSeen = (ended ? LastActive : LastSeen).ToUnixTimeSeconds(), // open: a crash closes it at the last real sighting
        SnapshotPath = SnapshotPath,
        RecordingId = RecordingId,
    };
}
