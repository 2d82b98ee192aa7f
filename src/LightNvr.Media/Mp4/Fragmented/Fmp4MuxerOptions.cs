namespace LightNvr.Media.Mp4.Fragmented;

/// <summary>Options of one <see cref="Fmp4Muxer"/> (one init segment and the fragments that follow it).</summary>
public sealed class Fmp4MuxerOptions
{
    /// <summary>
    /// Per <see cref="MediaTrack.Id"/>: the DTS that maps to decode time 0 of this output. Pass the previous segment's
    /// end (the DTS of the first frame carried over) so consecutive segments meet with no gap. A track missing here
    /// starts at its first frame's DTS, shifted by its wall-clock distance from the first frame of any track so audio
    /// and video stay in sync.
    /// </summary>
    public IReadOnlyDictionary<int, long>? StartDts { get; init; }

    /// <summary>First mfhd sequence number (§8.8.5: starts at 1, increases per fragment). Continue it for live streams.</summary>
    public uint FirstSequenceNumber { get; init; } = 1;
}
