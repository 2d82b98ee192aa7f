namespace LightNvr.Recording;

/// <summary>What <see cref="SegmentAdopter.AdoptAsync"/> did with a segment file that had no row.</summary>
public enum AdoptionStatus
{
    /// <summary>The file got a complete row.</summary>
    Adopted,

    /// <summary>It held no fragment and was deleted (start-up only).</summary>
    RemovedEmpty,

    /// <summary>It holds no fragment (nothing to play); left alone.</summary>
    Empty,

    /// <summary>It could not be read as a fragmented MP4; left alone.</summary>
    Unreadable,
}
