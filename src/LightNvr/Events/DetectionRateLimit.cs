namespace LightNvr.Events;

/// <summary>
/// The bounded write rate of the <c>detections</c> table: at most one row per <see cref="MinInterval"/> per stream and
/// label, so a detector at 5 fps writes 1 row/s, not 5, and one person walking by for a minute is 60 rows at most.
/// Rows still land inside every recording the thing was seen in (recordings are ≥ 1 s), which is what the recordings
/// filter "has detection" needs.
/// </summary>
public sealed class DetectionRateLimit
{
    /// <summary>One row per second per (stream, label): the granularity of the table's unix-second timestamps.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    /// <summary>Keys remembered at most; past it the oldest half is forgotten (a label per frame cannot grow memory).</summary>
    public const int MaxKeys = 8192;

    private readonly Dictionary<(string Stream, string Label), DateTimeOffset> _last = [];

    /// <summary>Rows not written because one was written for the same stream and label less than a second before.</summary>
    public long Suppressed { get; private set; }

    /// <summary>True when a row for (stream, label) at <paramref name="at"/> may be written; records it.</summary>
    public bool TryTake(string stream, string label, DateTimeOffset at)
    {
        var key = (stream, label);
        if (_last.TryGetValue(key, out var last) && at - last < MinInterval && at >= last)
        {
            Suppressed++;
            return false;
        }

        if (_last.Count >= MaxKeys)
        {
            foreach (var old in _last.OrderBy(p => p.Value).Take(MaxKeys / 2).Select(p => p.Key).ToList())
            {
                _last.Remove(old);
            }
        }
        _last[key] = at;
        return true;
    }
}
