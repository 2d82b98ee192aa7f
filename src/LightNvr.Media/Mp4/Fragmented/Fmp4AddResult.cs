namespace LightNvr.Media.Mp4.Fragmented;

/// <summary>What <see cref="Fmp4Muxer.AddFrame"/> did with a frame.</summary>
public enum Fmp4AddResult
{
    /// <summary>Buffered; it will be written by a later flush.</summary>
    Added,

    /// <summary>
    /// The frame carries a new <see cref="MediaTrack"/> whose parameter sets differ from the init segment's. Nothing
    /// was buffered: flush, start a new muxer (new file or new init segment) with the new tracks, and add the frame there.
    /// </summary>
    TrackChanged,

    /// <summary>Video has not reached its first keyframe yet: the frame was dropped (a segment starts at a keyframe).</summary>
    WaitingForKeyFrame,

    /// <summary>The frame's track id is not one of the muxer's tracks: ignored.</summary>
    UnknownTrack,
}
