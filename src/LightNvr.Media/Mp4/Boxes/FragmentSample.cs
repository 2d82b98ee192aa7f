namespace LightNvr.Media.Mp4.Boxes;

/// <summary>One sample of a track run (ISO/IEC 14496-12 §8.8.8): duration and composition offset in the track's timescale.</summary>
public readonly record struct FragmentSample(uint Duration, int Size, bool IsSync, int CompositionOffset)
{
    /// <summary>sample_flags (§8.8.3.1) of a sync sample: sample_depends_on = 2 (depends on no other sample).</summary>
    public const uint SyncFlags = 0x02000000;

    /// <summary>sample_flags of a non-sync sample: sample_depends_on = 1 and sample_is_non_sync_sample = 1.</summary>
    public const uint NonSyncFlags = 0x01010000;

    public uint Flags => IsSync ? SyncFlags : NonSyncFlags;
}
