namespace LightNvr.Recording;

/// <summary>What a recorder does with one frame (decided by <see cref="SegmentCutPolicy"/>).</summary>
public enum SegmentAction
{
    /// <summary>Not recorded: audio with record_audio off, or no segment open and no keyframe to start one.</summary>
    Skip,

    /// <summary>Append to the open segment.</summary>
    Append,

    /// <summary>Close the open segment (if any) and start a new one with this frame as its first.</summary>
    Cut,

    /// <summary>Close the open segment and skip this frame: its track changed and it cannot start a segment.</summary>
    CloseAndSkip,
}
