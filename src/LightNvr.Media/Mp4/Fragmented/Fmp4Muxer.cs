using System.Buffers;
using LightNvr.Media.Mp4.Boxes;

namespace LightNvr.Media.Mp4.Fragmented;

/// <summary>
/// Fragmented MP4 muxer (ISO/IEC 14496-12 §8.8) for recording segments, MSE and HLS: one init segment
/// (<see cref="InitSegment"/>) then fragments, each one <c>moof</c>+<c>mdat</c> holding every track's samples of an
/// interval. The caller decides where fragments end (<see cref="FlushFragment(IBufferWriter{byte}, bool)"/>, with
/// <see cref="Fmp4FragmentPolicy"/> as the usual rule). Nothing is decoded; frame data are copied once, into the output.
/// </summary>
/// <remarks>
/// A sample's duration is the DTS distance to the next frame of its track, so the muxer holds back the newest frame of
/// each track until the next one arrives (one frame of delay). A flush writes the completed samples; the final flush
/// (<c>final: true</c>) also writes the held frames with the track's last known duration. To cut a recording into
/// consecutive segments that meet without a gap: add the keyframe that starts the new segment, flush, take
/// <see cref="TakeHeldFrames"/> and add them to the next muxer, created with <see cref="Fmp4MuxerOptions.StartDts"/>
/// = their DTS. Not thread-safe: one muxer per consumer.
/// </remarks>
public sealed partial class Fmp4Muxer : IDisposable
{
    /// <summary>Cap on samples per track per fragment: 10 s of 300 fps video, far beyond a one-second fragment.</summary>
    public const int MaxSamplesPerFragment = 3000;

    private readonly TrackState[] _tracks;
    private readonly TrackFragment[] _runs;
    private readonly int _primary;
    private uint _sequence;
    private int _runCount;
    private long _wallClockOrigin = long.MinValue;
    private bool _sawKeyFrame;

    public Fmp4Muxer(IReadOnlyList<MediaTrack> tracks, Fmp4MuxerOptions? options = null)
    {
        if (tracks.Count == 0)
        {
            throw new ArgumentException("At least one track", nameof(tracks));
        }

        options ??= new Fmp4MuxerOptions();
        _tracks = new TrackState[tracks.Count];
        _runs = new TrackFragment[tracks.Count];
        _primary = -1;
        for (var i = 0; i < tracks.Count; i++)
        {
            var t = tracks[i];
            if (!CanMux(t))
            {
                throw new ArgumentException($"Track {t.Id} ({t.Codec}) cannot be muxed: not ready or not supported");
            }

            long? start = options.StartDts is not null && options.StartDts.TryGetValue(t.Id, out var s) ? s : null;
            _tracks[i] = new TrackState(t, (uint)i + 1, start);
            if (_primary < 0 && t.Kind == MediaKind.Video)
            {
                _primary = i;
            }
        }

        _sawKeyFrame = _primary < 0;
        _primary = Math.Max(_primary, 0);
        _sequence = options.FirstSequenceNumber;
        Tracks = tracks;
        InitSegment = Fmp4InitSegment.Create(tracks);
    }

    public IReadOnlyList<MediaTrack> Tracks { get; }

    /// <summary>
    /// True when the track can go in an MP4 here: a supported codec (H.264, H.265, AAC, Opus, G.711) with what its
    /// sample entry needs (parameter sets; an H.264 SPS of at least 4 bytes; an AudioSpecificConfig). The constructor
    /// throws <see cref="ArgumentException"/> for any other track; callers leave such tracks out.
    /// </summary>
    public static bool CanMux(MediaTrack track) =>
        track.IsReady && SampleEntry.TypeOf(track.Codec) != 0
        && (track.Codec != MediaCodec.H264 || track.Sps!.Length >= 4)
        && (track.Codec != MediaCodec.Aac || track.AudioSpecificConfig!.Length <= EsDescriptor.MaxAudioSpecificConfigLength);

    /// <summary>ftyp+moov for these tracks; write it first (file start, MSE appendBuffer, HLS EXT-X-MAP).</summary>
    public ReadOnlyMemory<byte> InitSegment { get; }

    /// <summary>
    /// Longest duration of completed samples buffered on any track (usually the video track; audio when video
    /// stalls, so a policy on it keeps flushing and never reaches <see cref="MaxSamplesPerFragment"/>).
    /// </summary>
    public TimeSpan BufferedDuration
    {
        get
        {
            var longest = TimeSpan.Zero;
            foreach (var t in _tracks)
            {
                var d = t.BufferedDuration;
                longest = d > longest ? d : longest;
            }

            return longest;
        }
    }

    /// <summary>
    /// True when the primary track has completed samples buffered and its held frame is a keyframe: a flush now ends
    /// the fragment just before that keyframe, so the next fragment starts with it.
    /// </summary>
    public bool NextSampleIsKeyFrame => _tracks[_primary].Count > 0 && _tracks[_primary].Held?.IsKeyFrame == true;

    public bool HasBufferedSamples
    {
        get
        {
            foreach (var t in _tracks)
            {
                if (t.Count > 0)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The fragment written by the last flush that wrote one.</summary>
    public Fmp4FragmentInfo LastFragment { get; private set; }

    /// <summary>Fragments written so far.</summary>
    public long FragmentCount { get; private set; }

    /// <summary>Buffers a frame. Frames of one track must come in decode order; tracks may interleave freely.</summary>
    public Fmp4AddResult AddFrame(MediaFrame frame)
    {
        var index = FindTrack(frame.Track.Id);
        if (index < 0)
        {
            return Fmp4AddResult.UnknownTrack;
        }

        var state = _tracks[index];
        if (!ReferenceEquals(frame.Track, state.Track))
        {
            if (!SameParameters(frame.Track, state.Track))
            {
                return Fmp4AddResult.TrackChanged;
            }

            state.Track = frame.Track; // same parameter sets: adopt the new instance, no new init segment needed
        }

        if (!_sawKeyFrame)
        {
            if (index != _primary || !frame.IsKeyFrame)
            {
                return Fmp4AddResult.WaitingForKeyFrame;
            }

            _sawKeyFrame = true;
        }

        if (_wallClockOrigin == long.MinValue)
        {
            _wallClockOrigin = frame.WallClockUnixMs;
        }

        state.Add(frame, _wallClockOrigin);
        return Fmp4AddResult.Added;
    }

    /// <summary>
    /// Removes and returns the held (not yet written) frame of each track to start the next segment with: the primary
    /// track's first (the keyframe that opens the next muxer's keyframe gate), then the others in wall-clock order.
    /// Call after the last flush of this muxer; the muxer is then empty.
    /// </summary>
    public IReadOnlyList<MediaFrame> TakeHeldFrames()
    {
        var held = new List<MediaFrame>(_tracks.Length);
        for (var i = 0; i < _tracks.Length; i++)
        {
            if (i != _primary && _tracks[i].Held is { } frame)
            {
                held.Add(frame);
            }

            _tracks[i].Held = i == _primary ? _tracks[i].Held : null;
        }

        held.Sort(static (a, b) => a.WallClockUnixMs.CompareTo(b.WallClockUnixMs));
        if (_tracks[_primary].Held is { } first)
        {
            held.Insert(0, first);
            _tracks[_primary].Held = null;
        }

        return held;
    }

    public void Dispose()
    {
        foreach (var t in _tracks)
        {
            t.Dispose();
        }
    }

    private int FindTrack(int id)
    {
        for (var i = 0; i < _tracks.Length; i++)
        {
            if (_tracks[i].Track.Id == id)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool SameParameters(MediaTrack a, MediaTrack b) =>
        a.Codec == b.Codec && a.ClockRate == b.ClockRate && a.Width == b.Width && a.Height == b.Height
        && a.SampleRate == b.SampleRate && a.Channels == b.Channels
        && Same(a.Vps, b.Vps) && Same(a.Sps, b.Sps) && Same(a.Pps, b.Pps)
        && Same(a.AudioSpecificConfig, b.AudioSpecificConfig);

    private static bool Same(byte[]? a, byte[]? b) => a.AsSpan().SequenceEqual(b);
}
