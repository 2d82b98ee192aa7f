using LightNvr.Events;

namespace LightNvr.Integrations.Mqtt;

/// <summary>
/// Which events are open per stream, for the motion and object-count states: motion is ON while an event labelled
/// <c>motion</c> is open (the motion detector, the trigger's default label, ONVIF motion), and each other label counts
/// its open events. Also remembers every label a stream has shown in this run (for Home Assistant entities). Called
/// from the event loop and read by the publisher, so every member takes the lock.
/// </summary>
public sealed class StreamActivity
{
    /// <summary>The label that means motion rather than an object.</summary>
    public const string MotionLabel = "motion";

    /// <summary>Open events remembered at most (the event spine's own bound, EventTracker.MaxOpenEvents).</summary>
    public const int MaxOpen = EventTracker.MaxOpenEvents;

    /// <summary>Labels remembered per stream at most: a detector's label set (COCO has 80); beyond it new labels get no entity.</summary>
    public const int MaxLabelsPerStream = 100;

    private readonly Lock _lock = new();
    private readonly Dictionary<long, (string Stream, string Label)> _open = [];
    private readonly Dictionary<string, SortedSet<string>> _labels = new(StringComparer.Ordinal);

    /// <summary>What one event change altered.</summary>
    public readonly record struct Change(bool Motion, string? CountedLabel, bool NewLabel);

    public Change Apply(EventChange change)
    {
        var e = change.Event;
        lock (_lock)
        {
            var motionBefore = MotionLocked(e.StreamName);
            var countBefore = CountLocked(e.StreamName, e.Label);
            var newLabel = false;
            if (change.Kind == EventChangeKind.End)
            {
                _open.Remove(e.Id);
            }
            else if (_open.Count < MaxOpen || _open.ContainsKey(e.Id))
            {
                _open[e.Id] = (e.StreamName, e.Label);
                if (e.Label != MotionLabel)
                {
                    newLabel = Remember(e.StreamName, e.Label);
                }
            }
            var motion = MotionLocked(e.StreamName) != motionBefore;
            var counted = e.Label != MotionLabel && CountLocked(e.StreamName, e.Label) != countBefore ? e.Label : null;
            return new Change(motion, counted, newLabel);
        }
    }

    public bool Motion(string stream)
    {
        lock (_lock)
        {
            return MotionLocked(stream);
        }
    }

    public int Count(string stream, string label)
    {
        lock (_lock)
        {
            return CountLocked(stream, label);
        }
    }

    /// <summary>The object labels the stream has shown in this run, sorted.</summary>
    public IReadOnlyList<string> Labels(string stream)
    {
        lock (_lock)
        {
            return _labels.TryGetValue(stream, out var set) ? [.. set] : [];
        }
    }

    /// <summary>Adds a label (from the stream's object filter list, or seen); true when it is new.</summary>
    public bool Remember(string stream, string label)
    {
        lock (_lock)
        {
            if (!_labels.TryGetValue(stream, out var set))
            {
                _labels[stream] = set = new SortedSet<string>(StringComparer.Ordinal);
            }
            return set.Count < MaxLabelsPerStream && set.Add(label);
        }
    }

    /// <summary>Forgets a removed stream's labels and open events.</summary>
    public void Forget(string stream)
    {
        lock (_lock)
        {
            _labels.Remove(stream);
            foreach (var id in _open.Where(o => o.Value.Stream == stream).Select(o => o.Key).ToList())
            {
                _open.Remove(id);
            }
        }
    }

    private bool MotionLocked(string stream) => _open.Values.Any(o => o.Stream == stream && o.Label == MotionLabel);

    private int CountLocked(string stream, string label) => _open.Values.Count(o => o.Stream == stream && o.Label == label);
}
