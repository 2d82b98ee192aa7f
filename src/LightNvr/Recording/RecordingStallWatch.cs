using System.Buffers.Binary;
using LightNvr.Media;
using LightNvr.Media.Codecs.H264;
using LightNvr.Media.Codecs.H265;

namespace LightNvr.Recording;

/// <summary>
/// Notices a recorded stream whose frames arrive while no segment is written, and says why, once per episode. Before
/// this a camera whose SPS did not parse showed "Running" with recording_active true and wrote nothing, without a log
/// line (security probe, issue 11). The recorder feeds it the frames of the stream's primary track (video, or audio
/// for an audio-only stream) that found no segment open, and <see cref="Writing"/> whenever one is.
/// A keyframe normally starts a segment at once, so <see cref="MaxWaitAfterKeyframe"/> after the first keyframe
/// that did not is a fault (no usable SPS/PPS); with no keyframe at all it waits <see cref="MaxWaitWithoutKeyframe"/>,
/// past the longest GOP a camera uses, so a long GOP at start-up is not reported. Not thread-safe: one per recorder.
/// </summary>
internal sealed class RecordingStallWatch(TimeProvider time)
{
    /// <summary>After a keyframe that started nothing: room for a parameter set one frame late, and still "seconds".</summary>
    public static readonly TimeSpan MaxWaitAfterKeyframe = TimeSpan.FromSeconds(3);

    /// <summary>Without any keyframe: longer than the longest GOPs cameras send ("smart codec" modes reach ~20 s).</summary>
    public static readonly TimeSpan MaxWaitWithoutKeyframe = TimeSpan.FromSeconds(30);

    /// <summary>Bytes of a rejected SPS shown in the reason: the NAL header and profile/level, enough to recognise it.</summary>
    private const int MaxSpsBytesShown = 8;

    private long _since; // when the first frame of this episode arrived; 0 = writing
    private long _last; // the previous such frame
    private long _keyframeAt; // the episode's first keyframe; 0 = none yet
    private bool _reported;
    private byte[]? _rejectedSps; // the last in-band SPS of this episode that did not parse

    /// <summary>A segment is being written: the episode (if any) is over.</summary>
    public void Writing()
    {
        _since = _keyframeAt = 0;
        _reported = false;
        _rejectedSps = null;
    }

    /// <summary>A primary-track frame that found no segment open; returns the reason the first time it is a fault.</summary>
    public string? NotWritten(MediaFrame frame)
    {
        if (_reported)
        {
            return null;
        }

        var now = time.GetTimestamp();
        if (_since == 0 || time.GetElapsedTime(_last, now) > StreamRecorder.MaxFrameGap)
        {
            _since = now; // a new episode: the first, or after the camera was quiet (a reconnect)
            _keyframeAt = 0;
            _rejectedSps = null;
        }

        _last = now;
        _keyframeAt = _keyframeAt == 0 && frame.IsKeyFrame ? now : _keyframeAt;
        if (!frame.Track.IsReady && frame.Track.Kind == MediaKind.Video && FindSps(frame) is { } sps && !Parses(frame.Track.Codec, sps))
        {
            _rejectedSps = sps;
        }

        var stalled = _keyframeAt != 0
            ? time.GetElapsedTime(_keyframeAt) >= MaxWaitAfterKeyframe
            : time.GetElapsedTime(_since) >= MaxWaitWithoutKeyframe;
        if (!stalled)
        {
            return null;
        }

        _reported = true;
        return Reason(frame.Track);
    }

    private string Reason(MediaTrack track)
    {
        if (track.Kind != MediaKind.Video)
        {
            return track.IsReady
                ? $"recording: {track.Codec} audio cannot be recorded in MP4; nothing is recorded"
                : $"recording: {track.Codec} audio has no decoder configuration; nothing is recorded";
        }

        if (track.IsReady)
        {
            return $"recording: no video keyframe in {MaxWaitWithoutKeyframe.TotalSeconds:0} s; nothing is recorded";
        }

        if (_rejectedSps is { } sps)
        {
            var shown = Convert.ToHexString(sps.AsSpan(0, Math.Min(sps.Length, MaxSpsBytesShown)));
            return $"recording: video SPS could not be parsed: {track.Codec} SPS of {sps.Length} bytes ({shown}) is " +
                   "invalid; nothing is recorded";
        }

        return track.Sps is null
            ? "recording: video has no usable SPS (none valid in the SDP or in-band); nothing is recorded"
            : "recording: video has no PPS" + (track.Codec == MediaCodec.H265 && track.Vps is null ? " or VPS" : "") +
              "; nothing is recorded";
    }

    /// <summary>The first SPS NAL unit in a frame (length-prefixed NAL units, <see cref="MediaFrame.Data"/>), or null.</summary>
    private static byte[]? FindSps(MediaFrame frame)
    {
        var data = frame.Data.Span;
        while (data.Length > 4)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(data);
            if (length == 0 || length > (uint)(data.Length - 4))
            {
                return null;
            }

            var nal = data.Slice(4, (int)length);
            var isSps = frame.Track.Codec == MediaCodec.H265
                ? ((nal[0] >> 1) & 0x3F) == (int)H265NalUnitType.Sps
                : (nal[0] & 0x1F) == (int)H264NalUnitType.Sps;
            if (isSps)
            {
                return nal.ToArray();
            }

            data = data[(4 + (int)length)..];
        }

        return null;
    }

    private static bool Parses(MediaCodec codec, byte[] sps) => codec == MediaCodec.H265
        ? H265SequenceParameterSet.TryParse(sps, out _)
        : H264SequenceParameterSet.TryParse(sps, out _);
}
