using LightNvr.Media;

namespace LightNvr.Recording;

/// <summary>
/// Where segments start and end. A segment starts at a video keyframe (or any audio frame for an audio-only stream)
/// and is cut at the first video keyframe at least <see cref="SegmentDuration"/> of media time after its start, so
/// every segment decodes on its own and the next one begins with the very frame that ended the previous one (no gap,
/// no overlap). A change of a track's parameters (a new <see cref="MediaTrack"/> instance: new SPS/PPS, or a new
/// connection after a reconnect, whose timestamps restart) also ends the segment, since one init segment describes
/// one set of parameters and one timeline. <see cref="Reconfigure"/> (new stream settings) ends the open segment at the
/// next cut point (keyframe) whatever its length, and the next segment follows the new settings. Durations are media time, never wall-clock, so clock jumps cannot cut or
/// stretch a segment. Not thread-safe: one per recorder loop.
/// </summary>
public sealed class SegmentCutPolicy
{
    private readonly Dictionary<int, MediaTrack> _tracks = new();
    private readonly HashSet<int> _seen = new();
    private bool _open;
    private bool _hasVideo;
    private int _startTrackId;
    private long _startDts;
    private int _startClockRate;
    private bool _cutRequested;

    public SegmentCutPolicy(TimeSpan segmentDuration, bool recordAudio)
    {
        SegmentDuration = segmentDuration;
        RecordAudio = recordAudio;
    }

    public TimeSpan SegmentDuration { get; private set; }

    public bool RecordAudio { get; private set; }

    /// <summary>
    /// New settings: the open segment (if any) ends at the next cut point, where the next one starts with these
    /// settings, so it never mixes two (its tracks are fixed in its init segment). Unchanged settings change nothing.
    /// </summary>
    public void Reconfigure(TimeSpan segmentDuration, bool recordAudio)
    {
        if (segmentDuration == SegmentDuration && recordAudio == RecordAudio)
        {
            return;
        }

        SegmentDuration = segmentDuration;
        RecordAudio = recordAudio;
        _cutRequested = _open;
    }

    /// <summary>Ends the open segment at the next cut point (a keyframe) whatever its length (a new trigger type).</summary>
    public void RequestCut() => _cutRequested = _open;

    public bool IsOpen => _open;

    /// <summary>The tracks of the open segment, by <see cref="MediaTrack.Id"/>.</summary>
    public IReadOnlyDictionary<int, MediaTrack> Tracks => _tracks;

    /// <summary>Media time since the open segment's first frame, for a frame of the segment's start track.</summary>
    public TimeSpan Elapsed(MediaFrame frame) => frame.Track.Id == _startTrackId && _startClockRate > 0
        ? TimeSpan.FromSeconds((frame.Dts - _startDts) / (double)_startClockRate)
        : TimeSpan.Zero;

    /// <summary>Decides, and updates the state as if the action were carried out.</summary>
    /// <param name="frame">The frame.</param>
    /// <param name="streamTracks">The connection's tracks (to know whether the stream has video at all).</param>
    public SegmentAction Decide(MediaFrame frame, IReadOnlyList<MediaTrack> streamTracks)
    {
        var isVideo = frame.Track.Kind == MediaKind.Video;
        if (!isVideo && !RecordAudio)
        {
            if (_open && !_hasVideo)
            {
                Reset(); // an audio-only segment with audio no longer recorded: it ends here
                return SegmentAction.CloseAndSkip;
            }

            return SegmentAction.Skip;
        }

        if (!_open)
        {
            return CanStart(frame, streamTracks) ? Start(frame, streamTracks) : SegmentAction.Skip;
        }

        if (_tracks.TryGetValue(frame.Track.Id, out var known) && !ReferenceEquals(known, frame.Track)
            && !AdoptSameParameters(known, frame.Track))
        {
            if (CanStart(frame, streamTracks))
            {
                return Start(frame, streamTracks);
            }

            Reset();
            return SegmentAction.CloseAndSkip;
        }

        if (!_tracks.ContainsKey(frame.Track.Id))
        {
            return SegmentAction.Skip; // a track that appeared mid-segment waits for the next segment
        }

        _seen.Add(frame.Track.Id);
        var cutPoint = _hasVideo ? isVideo && frame.IsKeyFrame : frame.Track.Id == _startTrackId;
        if (cutPoint && frame.Track.Id == _startTrackId && (_cutRequested || Elapsed(frame) >= SegmentDuration))
        {
            return Start(frame, streamTracks);
        }

        return SegmentAction.Append;
    }

    /// <summary>Forgets the open segment (after it was closed for another reason: shutdown, disk error).</summary>
    public void Reset()
    {
        _open = false;
        _cutRequested = false;
        _tracks.Clear();
        _seen.Clear();
    }

    /// <summary>
    /// The first frame of a track in a segment may carry another instance than the connection's track list with the
    /// same parameters (the init segment is then still right): adopt it. Once a track has frames in the segment, any
    /// new instance means new parameters or a new connection (timestamps restart), so it ends the segment.
    /// </summary>
    private bool AdoptSameParameters(MediaTrack known, MediaTrack actual)
    {
        if (_seen.Contains(actual.Id) || !SameParameters(known, actual))
        {
            return false;
        }

        _tracks[actual.Id] = actual;
        return true;
    }

    internal static bool SameParameters(MediaTrack a, MediaTrack b) =>
        a.Codec == b.Codec && a.ClockRate == b.ClockRate && a.SampleRate == b.SampleRate && a.Channels == b.Channels
        && a.Width == b.Width && a.Height == b.Height && Same(a.Vps, b.Vps) && Same(a.Sps, b.Sps) && Same(a.Pps, b.Pps)
        && Same(a.AudioSpecificConfig, b.AudioSpecificConfig);

    private static bool Same(byte[]? a, byte[]? b) =>
        a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    private static bool CanStart(MediaFrame frame, IReadOnlyList<MediaTrack> streamTracks)
    {
        var streamHasVideo = streamTracks.Any(t => t.Kind == MediaKind.Video) || frame.Track.Kind == MediaKind.Video;
        return streamHasVideo ? frame.Track.Kind == MediaKind.Video && frame.IsKeyFrame && frame.Track.IsReady : frame.Track.IsReady;
    }

    private SegmentAction Start(MediaFrame frame, IReadOnlyList<MediaTrack> streamTracks)
    {
        _tracks.Clear();
        foreach (var track in streamTracks)
        {
            if (track.IsReady && (track.Kind == MediaKind.Video || RecordAudio))
            {
                _tracks[track.Id] = track;
            }
        }

        _tracks[frame.Track.Id] = frame.Track;
        _seen.Clear();
        _seen.Add(frame.Track.Id);
        _hasVideo = frame.Track.Kind == MediaKind.Video;
        _open = true;
        _cutRequested = false;
        _startTrackId = frame.Track.Id;
        _startDts = frame.Dts;
        _startClockRate = frame.Track.ClockRate;
        return SegmentAction.Cut;
    }
}
