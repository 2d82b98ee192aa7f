namespace LightNvr.Events;

/// <summary>
/// Turns observations into events (docs/events.md): one open event per <see cref="EventKey"/>; an observation extends
/// it (keeping the best confidence and that observation's box) and it ends its post-detection buffer after the last
/// one. Pure state, no I/O and no clock of its own: <see cref="EventService"/> drives it from one thread with the
/// injected <see cref="TimeProvider"/>'s time, and unit tests drive it with a fake one.
/// </summary>
public sealed class EventTracker
{
    /// <summary>
    /// Open events at most: 64 cameras × a few labels × a few zones is a few hundred; beyond this a misbehaving source
    /// (a label per frame) is refused and counted instead of growing without bound.
    /// </summary>
    public const int MaxOpenEvents = 4096;

    private readonly Dictionary<EventKey, OpenEvent> _open = [];

    public IReadOnlyCollection<OpenEvent> Open => _open.Values;

    /// <summary>Observations refused because <see cref="MaxOpenEvents"/> events were open.</summary>
    public long Refused { get; private set; }

    /// <summary>Whether an event of <paramref name="key"/> is open.</summary>
    public bool IsOpen(EventKey key) => _open.ContainsKey(key);

    /// <summary>The earliest time an open event ends, or null when none is open.</summary>
    public DateTimeOffset? NextDue => _open.Count == 0 ? null : _open.Values.Min(e => e.EndsAt);

    /// <summary>
    /// Adds an observation: extends the open event of its key, or starts one (then <paramref name="started"/> is true).
    /// Returns null when refused (too many open events). Call <see cref="Expire"/> first, so an observation after an
    /// event's end starts a new one.
    /// </summary>
    public OpenEvent? Observe(Observation o, TimeSpan postBuffer, DateTimeOffset? holdUntil, out bool started)
    {
        var key = new EventKey(o.Stream, o.Source, o.Label, o.Zone);
        started = false;
        if (!_open.TryGetValue(key, out var e))
        {
            if (_open.Count >= MaxOpenEvents)
            {
                Refused++;
                return null;
            }

            e = new OpenEvent(key, o.At, postBuffer) { Confidence = o.Confidence, Box = o.Box };
            _open.Add(key, e);
            started = true;
        }
        else
        {
            if (o.At > e.LastSeen)
            {
                e.LastSeen = o.At;
            }
            if (o.Confidence > e.Confidence)
            {
                e.Confidence = o.Confidence;
                e.Box = o.Box ?? e.Box;
            }
        }

        if (holdUntil is { } hold && hold > e.HeldUntil)
        {
            e.HeldUntil = hold;
        }
        return e;
    }

    /// <summary>
    /// Ends a hold (<c>POST /api/motion/trigger</c> with <c>stop</c>) of the stream's events of <paramref name="source"/>
    /// and, when given, <paramref name="label"/>: they then close their post buffer after <paramref name="at"/>.
    /// </summary>
    public List<OpenEvent> Release(string stream, ObservationSource source, string? label, DateTimeOffset at)
    {
        var released = new List<OpenEvent>();
        foreach (var e in _open.Values)
        {
            if (e.Key.Stream == stream && e.Key.Source == source && (label is null || e.Key.Label == label))
            {
                e.HeldUntil = at;
                if (e.LastSeen > at)
                {
                    e.LastSeen = at;
                }
                released.Add(e);
            }
        }
        return released;
    }

    /// <summary>Removes and returns the events whose end has come by <paramref name="now"/>.</summary>
    public List<OpenEvent> Expire(DateTimeOffset now)
    {
        var ended = new List<OpenEvent>();
        foreach (var (key, e) in _open)
        {
            if (e.EndsAt <= now)
            {
                ended.Add(e);
            }
        }
        foreach (var e in ended)
        {
            _open.Remove(e.Key);
        }
        return ended;
    }

    /// <summary>
    /// Shutdown: removes and returns every open event, closed at its last observation (a hold still running ends at
    /// <paramref name="now"/>: nothing is known after it).
    /// </summary>
    public List<OpenEvent> CloseAll(DateTimeOffset now)
    {
        var all = _open.Values.ToList();
        foreach (var e in all.Where(e => e.HeldUntil > now))
        {
            e.HeldUntil = now;
        }
        _open.Clear();
        return all;
    }
}
