namespace LightNvr.Media.Streaming;

/// <summary>
/// The frames of the current group of pictures: the last video keyframe and everything (video and audio) since,
/// so a new consumer starts at once instead of waiting up to a GOP for the next keyframe (go2rtc waits; D1 does not).
/// Not thread-safe: <see cref="StreamHub"/> touches it only under its lock.
/// </summary>
internal sealed class GopCache
{
    /// <summary>
    /// Byte bound: a 4 s GOP (Scrypted's recommended IDR interval) at 8 Mbit/s is 4 MB; anything larger is not
    /// cached (consumers then wait for the next keyframe) so one odd camera cannot hold unbounded memory.
    /// </summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    /// <summary>Count bound: a 10 s GOP at 30 fps plus AAC at 48 kHz (~47 frames/s) is about 770 frames.</summary>
    public const int MaxFrames = 800;

    private readonly List<MediaFrame> _frames = new();
    private long _bytes;

    /// <summary>True when the cache holds a keyframe and every frame since it.</summary>
    public bool IsValid { get; private set; }

    public int Count => _frames.Count;

    public long Bytes => _bytes;

    public IReadOnlyList<MediaFrame> Frames => _frames;

    /// <summary>Adds a frame: a video keyframe starts a new GOP; a frame that overflows the bounds invalidates it.</summary>
    public void Add(MediaFrame frame)
    {
        if (frame.Track.Kind == MediaKind.Video && frame.IsKeyFrame)
        {
            Clear();
            IsValid = true;
        }
        else if (!IsValid)
        {
            return;
        }

        if (_frames.Count >= MaxFrames || _bytes + frame.Data.Length > MaxBytes)
        {
            Clear();
            return;
        }

        _frames.Add(frame);
        _bytes += frame.Data.Length;
    }

    public void Clear()
    {
        _frames.Clear();
        _bytes = 0;
        IsValid = false;
    }
}
