namespace LightNvr.Media.Codecs.H265;

/// <summary>The leading fields of an H.265 video parameter set (ITU-T H.265 §7.3.2.1) up to profile_tier_level.</summary>
public readonly record struct H265VideoParameterSet
{
    /// <summary>Up to profile_tier_level: 6 + 12 + 2 + 6 sub-layers × 12 bytes = 92 at most.</summary>
    public const int MaxRbspBytes = 128;

    public int VpsId { get; init; }

    public int MaxLayersMinus1 { get; init; }

    public int MaxSubLayersMinus1 { get; init; }

    public bool TemporalIdNesting { get; init; }

    public H265ProfileTierLevel ProfileTierLevel { get; init; }

    public static bool TryParse(ReadOnlySpan<byte> nal, out H265VideoParameterSet vps)
    {
        vps = default;
        if (nal.Length < 6 || ((nal[0] >> 1) & 0x3F) != (int)H265NalUnitType.Vps)
        {
            return false;
        }

        Span<byte> rbsp = stackalloc byte[MaxRbspBytes];
        var length = EmulationPrevention.Remove(nal[2..], rbsp);
        var r = new BitReader(rbsp[..length]);
        var id = (int)r.ReadBits(4);
        r.Skip(2); // vps_base_layer_internal_flag, vps_base_layer_available_flag
        var maxLayersMinus1 = (int)r.ReadBits(6);
        var maxSubLayersMinus1 = (int)r.ReadBits(3);
        var nesting = r.ReadFlag();
        if (r.ReadBits(16) != 0xFFFF || maxSubLayersMinus1 > H265ProfileTierLevel.MaxSubLayersMinus1)
        {
            return false; // vps_reserved_0xffff_16bits
        }

        if (!H265ProfileTierLevel.TryRead(ref r, maxSubLayersMinus1, out var ptl))
        {
            return false;
        }

        vps = new H265VideoParameterSet
        {
            VpsId = id,
            MaxLayersMinus1 = maxLayersMinus1,
            MaxSubLayersMinus1 = maxSubLayersMinus1,
            TemporalIdNesting = nesting,
            ProfileTierLevel = ptl,
        };
        return true;
    }
}
