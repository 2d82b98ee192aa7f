using LightNvr.Media;

namespace LightNvr.Events;

/// <summary>
/// The last <see cref="Window"/> of a camera's packets, undecoded (issue 13 item 5): references to the hub's shared,
/// immutable <see cref="MediaFrame"/>s (no copies), always starting at a video keyframe at or before
/// newest − <see cref="Window"/>, so an event recording can begin that far back with a picture. Bounded in bytes by
/// <see cref="MaxBytes"/>: when over, whole GOPs go from the front (the buffer then holds less than the window, and
/// <see cref="Overflows"/> counts it). Not thread-safe: owned by one <see cref="EventRecorder"/>.
/// </summary>
public sealed class PreEventBuffer(TimeSpan window)
{
    /// <summary>
    /// Byte bound per camera: upstream's maximum pre-buffer (60 s) of a 2 Mbit/s camera is 15 MB; 16 MB also holds a
    /// 10 s buffer of a 12 Mbit/s 4K stream. The measured cost of 10 s at 2 Mbit/s is in docs/BENCHMARKS.md.
    /// </summary>
    public const long MaxBytes = 16L * 1024 * 1024;

    private readonly Queue<MediaFrame> _frames = new();
    private readonly Queue<long> _keyFrameTimes = new(); // wall clock (ms) of each video keyframe in _frames, in order
    private long _bytes;

    public TimeSpan Window { get; } = window;

    public int Count => _frames.Count;

    /// <summary>Payload bytes held (the frames' data; the frames themselves are shared with the hub's other consumers).</summary>
    public long Bytes => _bytes;

    /// <summary>Wall-clock span from the first frame held to the newest.</summary>
    public TimeSpan Span => _frames.Count == 0 ? TimeSpan.Zero
        : TimeSpan.FromMilliseconds(_newestMs - _frames.Peek().WallClockUnixMs);

    /// <summary>Times whole GOPs were dropped for <see cref="MaxBytes"/> rather than for age.</summary>
    public long Overflows { get; private set; }

    private long _newestMs;

    public void Add(MediaFrame frame)
    {
        var key = frame.Track.Kind == MediaKind.Video && frame.IsKeyFrame;
        if (_frames.Count == 0 && !key)
        {
            return; // start at a keyframe: anything before it cannot be decoded
        }
        if (key)
        {
            _keyFrameTimes.Enqueue(frame.WallClockUnixMs);
        }
        _frames.Enqueue(frame);
        _bytes += frame.Data.Length;
        if (frame.WallClockUnixMs > _newestMs)
        {
            _newestMs = frame.WallClockUnixMs;
        }
        Trim();
    }

    /// <summary>Everything held, oldest first (starting at a keyframe), and empties the buffer.</summary>
    public List<MediaFrame> Drain()
    {
        var frames = _frames.ToList();
        Clear();
        return frames;
    }

    public void Clear()
    {
        _frames.Clear();
        _keyFrameTimes.Clear();
        _bytes = 0;
        _newestMs = 0;
    }

    private void Trim()
    {
        var oldest = _newestMs - (long)Window.TotalMilliseconds;
        while (_keyFrameTimes.Count >= 2)
        {
            var second = _keyFrameTimes.ElementAt(1);
            var over = _bytes > MaxBytes;
            if (second > oldest && !over)
            {
                break; // the first keyframe is the last one at or before newest - window: keep it
            }
            if (over && second > oldest)
            {
                Overflows++;
            }
            DropFirstGop();
        }
        if (_bytes > MaxBytes)
        {
            Overflows++;
            Clear(); // one GOP larger than the bound: start again at the next keyframe
        }
    }

    private void DropFirstGop()
    {
        _keyFrameTimes.Dequeue();
        do
        {
            _bytes -= _frames.Dequeue().Data.Length;
        }
        while (_frames.Count > 0 && !(_frames.Peek().Track.Kind == MediaKind.Video && _frames.Peek().IsKeyFrame));
    }
}
