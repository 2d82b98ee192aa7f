namespace LightNvr.Media;

/// <summary>
/// One access unit (a whole picture, or one audio frame) as it came from the camera, never decoded.
/// Frames are immutable once published and shared by every consumer of a stream (fan-out never copies them).
/// </summary>
public sealed class MediaFrame
{
    public MediaFrame(MediaTrack track, long dts, int compositionOffset, bool isKeyFrame, ReadOnlyMemory<byte> data,
        long wallClockUnixMs)
    {
        Track = track;
        Dts = dts;
        CompositionOffset = compositionOffset;
        IsKeyFrame = isKeyFrame;
        Data = data;
        WallClockUnixMs = wallClockUnixMs;
    }

    /// <summary>The track, with the parameter sets in force for this frame.</summary>
    public MediaTrack Track { get; }

    /// <summary>
    /// Decode timestamp in <see cref="MediaTrack.ClockRate"/> units, unwrapped to 64 bits and monotonic
    /// non-decreasing within a connection. Starts near 0 at connection start.
    /// </summary>
    public long Dts { get; }

    /// <summary>PTS − DTS in clock units; non-zero only for streams with B-frames.</summary>
    public int CompositionOffset { get; }

    public long Pts => Dts + CompositionOffset;

    /// <summary>Video: an IDR/IRAP picture a decoder can start at. Audio: always true.</summary>
    public bool IsKeyFrame { get; }

    /// <summary>
    /// Video: the access unit's NAL units, each prefixed by its 4-byte big-endian length (the MP4 "AVCC"/"HVCC"
    /// layout), parameter sets included when the camera sent them in-band. AAC: one raw access unit (no ADTS).
    /// G.711: the raw samples.
    /// </summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Wall-clock time (unix milliseconds) this frame's presentation corresponds to, from the injected clock.</summary>
    public long WallClockUnixMs { get; }
}
