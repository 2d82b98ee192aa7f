using LightNvr.Media;

namespace LightNvr.Recording;

/// <summary>
/// The segment a <see cref="StreamRecorder"/> is writing: its file, its row (once it has one: see
/// <see cref="IsPlayable"/>), and the media clock that measures it.
/// Wall-clock start comes from the injected clock when the segment starts; the end is start + media duration, so
/// a clock jump moves the next segment's start, never a segment's length. Not thread-safe.
/// </summary>
internal sealed class OpenSegment(SegmentFile file, DateTimeOffset start, MediaFrame first)
{
    public SegmentFile File { get; } = file;

    /// <summary>The segment's <c>recordings</c> row; null until the segment is <see cref="IsPlayable"/>.</summary>
    public long? RowId { get; set; }

    public DateTimeOffset Start { get; } = start;

    /// <summary>
    /// Its row insert met a database outage: the segment records on without a row, and at its end the whole row goes
    /// to the pending-row queue (<see cref="PendingRows"/>).
    /// </summary>
    public bool Queued { get; set; }

    /// <summary>The track whose timestamps measure the segment (the video track, or audio for audio-only).</summary>
    public MediaTrack ClockTrack { get; private set; } = first.Track;

    public long StartDts { get; } = first.Dts;

    /// <summary>DTS of the last frame of <see cref="ClockTrack"/> added, and the step before it.</summary>
    public long LastDts { get; private set; } = first.Dts;

    public long LastStep { get; private set; }

    public DateTimeOffset LastSizeUpdate { get; set; } = start;

    /// <summary>Video frames handed to the file (taken back from the recorder's count if the file is discarded).</summary>
    public int VideoFrames { get; set; }

    /// <summary>
    /// At least two frames of the clock track, so the segment lasts longer than nothing. A lone "keyframe" (what
    /// random RTP sometimes depacketizes into) followed by silence or a new track is no recording and gets no row.
    /// </summary>
    public bool IsPlayable => LastDts > StartDts;

    public void Observe(MediaFrame frame)
    {
        if (frame.Track.Id != ClockTrack.Id)
        {
            return;
        }

        ClockTrack = frame.Track;
        if (frame.Dts > LastDts)
        {
            LastStep = frame.Dts - LastDts;
            LastDts = frame.Dts;
        }
    }

    /// <summary>Media time from the first frame to <paramref name="endDts"/> (exclusive end).</summary>
    public TimeSpan DurationTo(long endDts) =>
        TimeSpan.FromSeconds(Math.Max(0, endDts - StartDts) / (double)ClockTrack.ClockRate);

    /// <summary>Media time including the last frame (its duration taken as the step before it).</summary>
    public TimeSpan Duration => DurationTo(LastDts + LastStep);
}
