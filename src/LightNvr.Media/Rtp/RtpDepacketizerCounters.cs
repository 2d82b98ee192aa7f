namespace LightNvr.Media.Rtp;

/// <summary>A snapshot of one depacketizer's counters (all since creation).</summary>
/// <param name="Packets">RTP packets pushed, valid or not.</param>
/// <param name="Bytes">Bytes pushed.</param>
/// <param name="Frames">Frames emitted.</param>
/// <param name="Malformed">Packets that failed to parse (bad RTP header, bad payload structure, wrong payload type).</param>
/// <param name="Lost">Packets missing from the sequence (RFC 3550 §6.4.1 cumulative loss).</param>
/// <param name="Reordered">Packets that arrived ahead of their turn and were put back in order.</param>
/// <param name="DuplicateOrLate">Duplicates and packets that came after their slot was given up.</param>
/// <param name="DroppedFrames">Frames dropped because a packet of theirs was lost or malformed, or they broke a limit.</param>
/// <param name="TimestampJumps">Camera timestamp jumps re-based to keep DTS continuous.</param>
/// <param name="TrackChanges">New <see cref="MediaTrack"/> instances published (parameter sets changed).</param>
/// <param name="DtsCorrections">Frames whose DTS had to be forced to stay monotonic.</param>
public readonly record struct RtpDepacketizerCounters(
    long Packets,
    long Bytes,
    long Frames,
    long Malformed,
    long Lost,
    long Reordered,
    long DuplicateOrLate,
    long DroppedFrames,
    long TimestampJumps,
    long TrackChanges,
    long DtsCorrections);
