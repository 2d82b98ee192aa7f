namespace LightNvr.Media.Codecs.H265;

/// <summary>The general part of profile_tier_level() (ITU-T H.265 §7.3.3); sub-layer parts are skipped.</summary>
public readonly record struct H265ProfileTierLevel
{
    /// <summary>H.265 §7.4.3.1: vps/sps_max_sub_layers_minus1 is in 0..6.</summary>
    public const int MaxSubLayersMinus1 = 6;

    public int ProfileSpace { get; init; }

    public bool Tier { get; init; }

    public int ProfileIdc { get; init; }

    public uint ProfileCompatibilityFlags { get; init; }

    /// <summary>The 48 constraint-indicator bits (progressive, interlaced, non-packed, frame-only and the rest).</summary>
    public ulong ConstraintIndicatorFlags { get; init; }

    public int LevelIdc { get; init; }

    /// <summary>Reads profile_tier_level(1, maxSubLayersMinus1); false when it is truncated.</summary>
    public static bool TryRead(ref BitReader r, int maxSubLayersMinus1, out H265ProfileTierLevel ptl)
    {
        ptl = new H265ProfileTierLevel
        {
            ProfileSpace = (int)r.ReadBits(2),
            Tier = r.ReadFlag(),
            ProfileIdc = (int)r.ReadBits(5),
            ProfileCompatibilityFlags = r.ReadBits(32),
            ConstraintIndicatorFlags = ((ulong)r.ReadBits(16) << 32) | r.ReadBits(32),
            LevelIdc = (int)r.ReadBits(8),
        };

        Span<bool> profilePresent = stackalloc bool[MaxSubLayersMinus1];
        Span<bool> levelPresent = stackalloc bool[MaxSubLayersMinus1];
        for (var i = 0; i < maxSubLayersMinus1; i++)
        {
            profilePresent[i] = r.ReadFlag();
            levelPresent[i] = r.ReadFlag();
        }

        if (maxSubLayersMinus1 > 0)
        {
            r.Skip(2 * (8 - maxSubLayersMinus1)); // reserved_zero_2bits
        }

        for (var i = 0; i < maxSubLayersMinus1; i++)
        {
            r.Skip((profilePresent[i] ? 88 : 0) + (levelPresent[i] ? 8 : 0));
        }

        return !r.Overrun;
    }
}
