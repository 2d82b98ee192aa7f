namespace LightNvr.Logging;

/// <summary>
/// The newest log records in memory, bounded by <see cref="MaxEntries"/>, for <c>GET /api/system/logs</c> without
/// reading the log file back. Thread-safe; the oldest record is overwritten when full.
/// </summary>
public sealed class LogRingBuffer
{
    /// <summary>Upstream's log API returns 500 lines by default; keep twice that (about 200 KB at ~200 B a line).</summary>
    public const int MaxEntries = 1000;

    private readonly LogRecord?[] _items;
    private readonly Lock _lock = new();
    private int _next;
    private int _count;

    public LogRingBuffer(int capacity = MaxEntries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _items = new LogRecord?[Math.Min(capacity, MaxEntries)];
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    public void Add(LogRecord record)
    {
        lock (_lock)
        {
            _items[_next] = record;
            _next = (_next + 1) % _items.Length;
            _count = Math.Min(_count + 1, _items.Length);
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            Array.Clear(_items);
            _next = 0;
            _count = 0;
        }
    }

    /// <summary>
    /// The newest <paramref name="count"/> records at <paramref name="minLevel"/> or more severe, oldest first; with
    /// <paramref name="afterTimestamp"/> only records whose timestamp text sorts after it (upstream's <c>last_ts</c>).
    /// </summary>
    public IReadOnlyList<LogRecord> Query(LogLevel minLevel, int count, string? afterTimestamp)
    {
        var result = new List<LogRecord>();
        if (count <= 0)
        {
            return result;
        }

        lock (_lock)
        {
            for (var i = 0; i < _count && result.Count < count; i++)
            {
                var r = _items[(_next - 1 - i + _items.Length) % _items.Length]!;
                if (r.Level >= minLevel && (string.IsNullOrEmpty(afterTimestamp) ||
                    string.CompareOrdinal(r.TimestampText, afterTimestamp) > 0))
                {
                    result.Add(r);
                }
            }
        }

        result.Reverse();
        return result;
    }
}
