namespace LightNvr.Media.Codecs.H265;

/// <summary>
/// The leading fields of an H.265 sequence parameter set (ITU-T H.265 §7.3.2.2.1) up to the sub-layer ordering
/// info: profile/tier/level, chroma format, size with the conformance window applied, bit depths, POC length and
/// the reorder/DPB limits. What follows (scaling lists, reference picture sets, VUI) is not needed here.
/// </summary>
public readonly record struct H265SequenceParameterSet
{
    /// <summary>SPS RBSP prefix parsed: the fields above fit in well under 256 bytes.</summary>
    public const int MaxRbspBytes = 256;

    /// <summary>H.265 Table A.8 level 6.2 allows 35,651,584 luma samples (8192×4320); 16384 per side bounds it.</summary>
    private const int MaxDimension = 16384;

    public int VpsId { get; init; }

    public int MaxSubLayersMinus1 { get; init; }

    /// <summary>sps_temporal_id_nesting_flag (H.265 §7.4.3.2.1), carried into hvcC's temporalIdNested.</summary>
    public bool TemporalIdNesting { get; init; }

    public H265ProfileTierLevel ProfileTierLevel { get; init; }

    public int SpsId { get; init; }

    public int ChromaFormatIdc { get; init; }

    public int Width { get; init; }

    public int Height { get; init; }

    public int BitDepthLuma { get; init; }

    public int BitDepthChroma { get; init; }

    public int Log2MaxPicOrderCntLsb { get; init; }

    /// <summary>sps_max_dec_pic_buffering_minus1 + 1 for the highest sub-layer.</summary>
    public int MaxDecPicBuffering { get; init; }

    /// <summary>sps_max_num_reorder_pics for the highest sub-layer (H.265 §7.4.3.2.1).</summary>
    public int MaxNumReorderPics { get; init; }

    /// <summary>Parses an SPS NAL unit (2-byte NAL header included, no start code).</summary>
    public static bool TryParse(ReadOnlySpan<byte> nal, out H265SequenceParameterSet sps)
    {
        sps = default;
        if (nal.Length < 4 || ((nal[0] >> 1) & 0x3F) != (int)H265NalUnitType.Sps)
        {
            return false;
        }

        Span<byte> rbsp = stackalloc byte[MaxRbspBytes];
        var length = EmulationPrevention.Remove(nal[2..], rbsp);
        var r = new BitReader(rbsp[..length]);
        var vpsId = (int)r.ReadBits(4);
        var maxSubLayersMinus1 = (int)r.ReadBits(3);
        var temporalIdNesting = r.ReadFlag();
        if (maxSubLayersMinus1 > H265ProfileTierLevel.MaxSubLayersMinus1
            || !H265ProfileTierLevel.TryRead(ref r, maxSubLayersMinus1, out var ptl))
        {
            return false;
        }

        var spsId = r.ReadUe();
        var chroma = r.ReadUe();
        var separateColourPlane = chroma == 3 && r.ReadFlag();
        var width = r.ReadUe();
        var height = r.ReadUe();
        uint left = 0, right = 0, top = 0, bottom = 0;
        if (r.ReadFlag())
        {
            left = r.ReadUe();
            right = r.ReadUe();
            top = r.ReadUe();
            bottom = r.ReadUe();
        }

        var bitDepthLuma = r.ReadUe() + 8;
        var bitDepthChroma = r.ReadUe() + 8;
        var log2MaxPocLsb = r.ReadUe() + 4;
        var subLayerOrderingInfo = r.ReadFlag();
        uint decBuffering = 0, reorder = 0;
        for (var i = subLayerOrderingInfo ? 0 : maxSubLayersMinus1; i <= maxSubLayersMinus1; i++)
        {
            decBuffering = r.ReadUe() + 1;
            reorder = r.ReadUe();
            r.ReadUe(); // sps_max_latency_increase_plus1
        }

        if (r.Overrun || spsId > 15 || chroma > 3 || width == 0 || height == 0 || width > MaxDimension
            || height > MaxDimension || bitDepthLuma > 16 || bitDepthChroma > 16 || log2MaxPocLsb > 16
            || reorder > 16 || decBuffering > 16)
        {
            return false;
        }

        // H.265 §7.4.3.2.1 and Table 6-1: conformance window offsets are in chroma sample units.
        var chromaArrayType = separateColourPlane ? 0 : chroma;
        var subWidthC = chromaArrayType is 1 or 2 ? 2 : 1;
        var subHeightC = chromaArrayType == 1 ? 2 : 1;
        var croppedWidth = (long)width - (subWidthC * ((long)left + right));
        var croppedHeight = (long)height - (subHeightC * ((long)top + bottom));
        if (croppedWidth <= 0 || croppedHeight <= 0)
        {
            return false;
        }

        sps = new H265SequenceParameterSet
        {
            VpsId = vpsId,
            MaxSubLayersMinus1 = maxSubLayersMinus1,
            TemporalIdNesting = temporalIdNesting,
            ProfileTierLevel = ptl,
            SpsId = (int)spsId,
            ChromaFormatIdc = (int)chroma,
            Width = (int)croppedWidth,
            Height = (int)croppedHeight,
            BitDepthLuma = (int)bitDepthLuma,
            BitDepthChroma = (int)bitDepthChroma,
            Log2MaxPicOrderCntLsb = (int)log2MaxPocLsb,
            MaxDecPicBuffering = (int)decBuffering,
            MaxNumReorderPics = (int)reorder,
        };
        return true;
    }
}
