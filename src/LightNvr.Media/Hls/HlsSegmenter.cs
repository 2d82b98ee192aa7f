using System.Buffers;
using System.Globalization;
using System.Text;
using LightNvr.Media.Mp4.Fragmented;

namespace LightNvr.Media.Hls;

/// <summary>
/// Live HLS with fMP4 segments (RFC 8216bis; EXT-X-VERSION 7 for EXT-X-MAP with fMP4): frames in, an init segment and
/// a sliding window of short segments out, all in memory. A segment ends at a keyframe once it holds
/// <see cref="MinSegmentAtKeyFrame"/>, and at <see cref="MaxSegmentDuration"/> whatever comes (a 4 s GOP still gives
/// 2 s segments, so the target duration and the startup delay stay small).
/// </summary>
/// <remarks>
/// Thread-safety: one writer (<see cref="Add"/>, <see cref="Cut"/>) and any number of readers of
/// <see cref="Playlist"/>, <see cref="TryGetSegment"/> and <see cref="InitSegment"/>.
/// </remarks>
public sealed class HlsSegmenter : IDisposable
{
    /// <summary>Segments kept: 2 × the 3 segments a player holds back from the live edge (hls.js liveSyncDurationCount),
    /// plus 2 so a slow client can still fetch what its last playlist named.</summary>
    public const int MaxSegments = 8;

    /// <summary>EXT-X-TARGETDURATION: no segment is longer than this, rounded (RFC 8216 §4.3.3.1).</summary>
    public const int TargetDurationSeconds = 2;

    public static readonly TimeSpan MaxSegmentDuration = TimeSpan.FromSeconds(TargetDurationSeconds);

    /// <summary>Shortest segment cut at a keyframe: about one second keeps playlists short and requests few.</summary>
    public static readonly TimeSpan MinSegmentAtKeyFrame = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly Fmp4Muxer _muxer;
    private readonly Fmp4FragmentPolicy _policy = new()
    {
        TargetDuration = MaxSegmentDuration, CutAtKeyFrames = true, MinDurationAtKeyFrame = MinSegmentAtKeyFrame,
    };

    private readonly ArrayBufferWriter<byte> _buffer = new(256 * 1024);
    private readonly Queue<HlsSegment> _segments = new();
    private long _nextSequence;
    private bool _nextStartsWithKeyFrame = true;

    public HlsSegmenter(IReadOnlyList<MediaTrack> tracks)
    {
        _muxer = new Fmp4Muxer(tracks);
        Tracks = tracks;
    }

    public IReadOnlyList<MediaTrack> Tracks { get; }

    public ReadOnlyMemory<byte> InitSegment => _muxer.InitSegment;

    public int SegmentCount
    {
        get
        {
            lock (_lock)
            {
                return _segments.Count;
            }
        }
    }

    /// <summary>Adds a frame and cuts a segment when due. False when the frame's parameter sets changed (start anew).</summary>
    public bool Add(MediaFrame frame)
    {
        var result = _muxer.AddFrame(frame);
        if (result == Fmp4AddResult.TrackChanged)
        {
            return false;
        }

        if (result == Fmp4AddResult.Added && _policy.ShouldFlush(_muxer))
        {
            Cut();
        }

        return true;
    }

    /// <summary>Ends the current segment now (after the cached GOP, so a player can start at once).</summary>
    public void Cut()
    {
        if (!_muxer.HasBufferedSamples)
        {
            return;
        }

        var duration = _muxer.BufferedDuration;
        var startsWithKeyFrame = _nextStartsWithKeyFrame;
        _nextStartsWithKeyFrame = _muxer.NextSampleIsKeyFrame;
        _muxer.FlushFragment(_buffer);
        var segment = new HlsSegment(_nextSequence++, duration, _buffer.WrittenSpan.ToArray(), startsWithKeyFrame);
        _buffer.ResetWrittenCount();
        lock (_lock)
        {
            _segments.Enqueue(segment);
            while (_segments.Count > MaxSegments)
            {
                _segments.Dequeue();
            }
        }
    }

    public bool TryGetSegment(long sequence, out HlsSegment segment)
    {
        lock (_lock)
        {
            segment = _segments.FirstOrDefault(s => s.Sequence == sequence)!;
            return segment is not null;
        }
    }

    /// <summary>The media playlist; <paramref name="segmentUri"/> names a segment by its sequence number.</summary>
    public string Playlist(string initUri, Func<long, string> segmentUri)
    {
        HlsSegment[] segments;
        lock (_lock)
        {
            segments = _segments.ToArray();
        }

        var sb = new StringBuilder(512);
        var ci = CultureInfo.InvariantCulture;
        sb.Append("#EXTM3U\n#EXT-X-VERSION:7\n");
        sb.Append(ci, $"#EXT-X-TARGETDURATION:{TargetDurationSeconds}\n");
        sb.Append(ci, $"#EXT-X-MEDIA-SEQUENCE:{(segments.Length > 0 ? segments[0].Sequence : 0)}\n");
        sb.Append(ci, $"#EXT-X-MAP:URI=\"{initUri}\"\n");
        foreach (var s in segments)
        {
            sb.Append(ci, $"#EXTINF:{s.Duration.TotalSeconds:0.000},\n{segmentUri(s.Sequence)}\n");
        }

        return sb.ToString();
    }

    public void Dispose() => _muxer.Dispose();
}
