namespace LightNvr.Media.Mp4;

/// <summary>
/// The few H.265 SPS fields an <c>hvcC</c> record and a codec string need (ITU-T H.265 §7.3.2.2.1 and the
/// profile_tier_level of §7.3.3): general profile/tier/level, compatibility and constraint flags, chroma format,
/// bit depths and the temporal layering.
/// </summary>
public sealed record HevcSpsInfo
{
    /// <summary>Sub-layers allowed by H.265 (sps_max_sub_layers_minus1 is 3 bits, at most 6).</summary>
    public const int MaxSubLayers = 7;

    public int ProfileSpace { get; init; }
    public bool TierFlag { get; init; }
    public int ProfileIdc { get; init; }
    public uint ProfileCompatibilityFlags { get; init; }

    /// <summary>general_constraint_indicator_flags: 48 bits, right-aligned.</summary>
    public ulong ConstraintIndicatorFlags { get; init; }

    public int LevelIdc { get; init; }
    public int MaxSubLayersMinus1 { get; init; }
    public bool TemporalIdNesting { get; init; }
    public int ChromaFormatIdc { get; init; }
    public int BitDepthLumaMinus8 { get; init; }
    public int BitDepthChromaMinus8 { get; init; }
    public int Width { get; init; }
    public int Height { get; init; }

    /// <summary>Parses an SPS NAL unit (with its 2-byte NAL header, without start code).</summary>
    public static bool TryParse(ReadOnlySpan<byte> sps, out HevcSpsInfo info)
    {
        info = new HevcSpsInfo();
        if (sps.Length < 3)
        {
            return false;
        }

        var r = new RbspBitReader(sps[2..]);
        if (!r.TryReadBits(4, out _) || !r.TryReadBits(3, out var maxSubLayersMinus1) || !r.TryReadBit(out var nesting)
            || !r.TryReadBits(2, out var space) || !r.TryReadBit(out var tier) || !r.TryReadBits(5, out var profile)
            || !r.TryReadBits(32, out var compat) || !r.TryReadBits(48, out var constraints)
            || !r.TryReadBits(8, out var level))
        {
            return false;
        }

        var subLayers = (int)maxSubLayersMinus1;
        Span<bool> profilePresent = stackalloc bool[MaxSubLayers];
        Span<bool> levelPresent = stackalloc bool[MaxSubLayers];
        for (var i = 0; i < subLayers; i++)
        {
            if (!r.TryReadBit(out var p) || !r.TryReadBit(out var l))
            {
                return false;
            }

            profilePresent[i] = p == 1;
            levelPresent[i] = l == 1;
        }

        if (subLayers > 0 && !r.TryReadBits(2 * (8 - subLayers), out _))
        {
            return false;
        }

        for (var i = 0; i < subLayers; i++)
        {
            if ((profilePresent[i] && !r.TryReadBits(88, out _)) || (levelPresent[i] && !r.TryReadBits(8, out _)))
            {
                return false;
            }
        }

        if (!r.TryReadUe(out _) || !r.TryReadUe(out var chroma))
        {
            return false;
        }

        if (chroma == 3 && !r.TryReadBit(out _))
        {
            return false;
        }

        if (!r.TryReadUe(out var width) || !r.TryReadUe(out var height) || !r.TryReadBit(out var window))
        {
            return false;
        }

        uint left = 0, right = 0, top = 0, bottom = 0;
        if (window == 1 && (!r.TryReadUe(out left) || !r.TryReadUe(out right) || !r.TryReadUe(out top)
            || !r.TryReadUe(out bottom)))
        {
            return false;
        }

        if (!r.TryReadUe(out var depthLuma) || !r.TryReadUe(out var depthChroma))
        {
            return false;
        }

        var subWidth = chroma is 1 or 2 ? 2u : 1u;
        var subHeight = chroma == 1 ? 2u : 1u;
        info = new HevcSpsInfo
        {
            ProfileSpace = (int)space,
            TierFlag = tier == 1,
            ProfileIdc = (int)profile,
            ProfileCompatibilityFlags = (uint)compat,
            ConstraintIndicatorFlags = constraints,
            LevelIdc = (int)level,
            MaxSubLayersMinus1 = subLayers,
            TemporalIdNesting = nesting == 1,
            ChromaFormatIdc = (int)chroma,
            BitDepthLumaMinus8 = (int)depthLuma,
            BitDepthChromaMinus8 = (int)depthChroma,
            Width = (int)(width - (subWidth * (left + right))),
            Height = (int)(height - (subHeight * (top + bottom))),
        };
        return true;
    }
}
