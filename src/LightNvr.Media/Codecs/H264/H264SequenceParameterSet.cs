namespace LightNvr.Media.Codecs.H264;

/// <summary>
/// The fields of an H.264 sequence parameter set the NVR needs (ITU-T H.264 §7.3.2.1.1, VUI in Annex E.1.1):
/// profile, level, chroma format, bit depth, cropped frame size, frame rate and picture reordering.
/// </summary>
public readonly record struct H264SequenceParameterSet
{
    /// <summary>An SPS is a few dozen bytes; with two full 8×8 scaling-list sets it stays well under 1 KiB.</summary>
    public const int MaxRbspBytes = 1024;

    /// <summary>H.264 §7.4.2.1.1: num_ref_frames_in_pic_order_cnt_cycle is in 0..255.</summary>
    private const int MaxRefFramesInPocCycle = 255;

    /// <summary>H.264 Table A-1 tops out at 139264 macroblocks per frame (level 6.2); 2× allows odd SPSs.</summary>
    private const int MaxMacroblocksPerSide = 1024;

    public byte ProfileIdc { get; init; }

    /// <summary>constraint_set0_flag..constraint_set5_flag and the two reserved bits, as the byte after profile_idc.</summary>
    public byte ConstraintFlags { get; init; }

    public byte LevelIdc { get; init; }

    public int SeqParameterSetId { get; init; }

    /// <summary>0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4 (H.264 Table 6-1). 1 unless a High profile says otherwise.</summary>
    public int ChromaFormatIdc { get; init; }

    public int BitDepthLuma { get; init; }

    public int BitDepthChroma { get; init; }

    public int Log2MaxFrameNum { get; init; }

    public int PicOrderCntType { get; init; }

    public int Log2MaxPicOrderCntLsb { get; init; }

    public int MaxNumRefFrames { get; init; }

    public bool FrameMbsOnly { get; init; }

    /// <summary>Luma width in pixels with the frame cropping rectangle applied.</summary>
    public int Width { get; init; }

    /// <summary>Luma height in pixels with the frame cropping rectangle applied.</summary>
    public int Height { get; init; }

    public bool TimingInfoPresent { get; init; }

    public uint NumUnitsInTick { get; init; }

    public uint TimeScale { get; init; }

    /// <summary>VUI max_num_reorder_frames (H.264 §E.2.1), or −1 when the SPS has no bitstream restriction.</summary>
    public int MaxNumReorderFrames { get; init; }

    /// <summary>VUI max_dec_frame_buffering, or −1 when absent.</summary>
    public int MaxDecFrameBuffering { get; init; }

    /// <summary>Frames per second from VUI timing (time_scale ÷ (2 · num_units_in_tick), H.264 §E.2.1), or 0.</summary>
    public double FrameRate => TimingInfoPresent && NumUnitsInTick > 0 ? TimeScale / (2.0 * NumUnitsInTick) : 0;

    /// <summary>
    /// How many frames may follow a frame in decoding order yet precede it in output order: 0 when the stream
    /// cannot reorder (Baseline/Constrained Baseline, pic_order_cnt_type 2), the VUI value when present, else −1
    /// (unknown: the stream may have B-frames).
    /// </summary>
    public int ReorderDepth
    {
        get
        {
            if (MaxNumReorderFrames >= 0)
            {
                return MaxNumReorderFrames;
            }

            // Baseline has no B slices (H.264 §A.2.1); POC type 2 means output order equals decoding order (§8.2.1.3).
            // Intra-only profiles (constraint_set3 with High 10/4:2:2/4:4:4 Intra) have no inter prediction.
            var intraOnly = (ConstraintFlags & 0x10) != 0 && ProfileIdc is 110 or 122 or 244 or 44;
            return ProfileIdc == 66 || PicOrderCntType == 2 || intraOnly ? 0 : -1;
        }
    }

    /// <summary>
    /// Parses an SPS NAL unit (with its one-byte NAL header, without start code). False when it is not an SPS,
    /// is truncated or holds out-of-range values.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> nal, out H264SequenceParameterSet sps)
    {
        sps = default;
        if (nal.Length < 4 || (nal[0] & 0x1F) != (byte)H264NalUnitType.Sps)
        {
            return false;
        }

        Span<byte> rbsp = stackalloc byte[MaxRbspBytes];
        var length = EmulationPrevention.Remove(nal[1..], rbsp);
        var r = new BitReader(rbsp[..length]);

        var profile = (byte)r.ReadBits(8);
        var constraints = (byte)r.ReadBits(8);
        var level = (byte)r.ReadBits(8);
        var id = r.ReadUe();
        uint chromaFormat = 1, bitDepthLuma = 0, bitDepthChroma = 0;
        var separateColourPlane = false;
        if (profile is 100 or 110 or 122 or 244 or 44 or 83 or 86 or 118 or 128 or 138 or 139 or 134 or 135)
        {
            chromaFormat = r.ReadUe();
            if (chromaFormat > 3)
            {
                return false;
            }

            if (chromaFormat == 3)
            {
                separateColourPlane = r.ReadFlag();
            }

            bitDepthLuma = r.ReadUe();
            bitDepthChroma = r.ReadUe();
            r.Skip(1); // qpprime_y_zero_transform_bypass_flag
            if (r.ReadFlag())
            {
                var lists = chromaFormat != 3 ? 8 : 12;
                for (var i = 0; i < lists && !r.Overrun; i++)
                {
                    if (r.ReadFlag())
                    {
                        SkipScalingList(ref r, i < 6 ? 16 : 64);
                    }
                }
            }
        }

        var log2MaxFrameNum = r.ReadUe() + 4;
        var pocType = r.ReadUe();
        uint log2MaxPocLsb = 0;
        if (pocType == 0)
        {
            log2MaxPocLsb = r.ReadUe() + 4;
        }
        else if (pocType == 1)
        {
            r.Skip(1); // delta_pic_order_always_zero_flag
            r.ReadSe(); // offset_for_non_ref_pic
            r.ReadSe(); // offset_for_top_to_bottom_field
            var cycle = r.ReadUe();
            if (cycle > MaxRefFramesInPocCycle)
            {
                return false;
            }

            for (var i = 0; i < cycle && !r.Overrun; i++)
            {
                r.ReadSe();
            }
        }
        else if (pocType != 2)
        {
            return false;
        }

        var maxRefFrames = r.ReadUe();
        r.Skip(1); // gaps_in_frame_num_value_allowed_flag
        var widthMbs = r.ReadUe() + 1;
        var heightMapUnits = r.ReadUe() + 1;
        var frameMbsOnly = r.ReadFlag();
        if (!frameMbsOnly)
        {
            r.Skip(1); // mb_adaptive_frame_field_flag
        }

        r.Skip(1); // direct_8x8_inference_flag
        uint cropLeft = 0, cropRight = 0, cropTop = 0, cropBottom = 0;
        if (r.ReadFlag())
        {
            cropLeft = r.ReadUe();
            cropRight = r.ReadUe();
            cropTop = r.ReadUe();
            cropBottom = r.ReadUe();
        }

        if (r.Overrun || log2MaxFrameNum > 16 || log2MaxPocLsb > 16 || bitDepthLuma > 6 || bitDepthChroma > 6
            || widthMbs > MaxMacroblocksPerSide || heightMapUnits > MaxMacroblocksPerSide)
        {
            return false;
        }

        // H.264 §7.4.2.1.1, equations 7-19..7-22: crop units depend on ChromaArrayType and frame_mbs_only_flag.
        var chromaArrayType = separateColourPlane ? 0 : chromaFormat;
        var subWidthC = chromaArrayType is 1 or 2 ? 2 : 1;
        var subHeightC = chromaArrayType == 1 ? 2 : 1;
        var cropUnitX = chromaArrayType == 0 ? 1 : subWidthC;
        var cropUnitY = (chromaArrayType == 0 ? 1 : subHeightC) * (frameMbsOnly ? 1 : 2);
        var width = (long)widthMbs * 16 - (cropUnitX * ((long)cropLeft + cropRight));
        var height = (frameMbsOnly ? 1L : 2L) * heightMapUnits * 16 - (cropUnitY * ((long)cropTop + cropBottom));
        if (width <= 0 || height <= 0)
        {
            return false;
        }

        var vui = new H264Vui { MaxNumReorderFrames = -1, MaxDecFrameBuffering = -1 };
        if (r.ReadFlag() && !H264Vui.TryParse(ref r, out vui))
        {
            return false;
        }

        sps = new H264SequenceParameterSet
        {
            ProfileIdc = profile,
            ConstraintFlags = constraints,
            LevelIdc = level,
            SeqParameterSetId = (int)id,
            ChromaFormatIdc = (int)chromaFormat,
            BitDepthLuma = (int)bitDepthLuma + 8,
            BitDepthChroma = (int)bitDepthChroma + 8,
            Log2MaxFrameNum = (int)log2MaxFrameNum,
            PicOrderCntType = (int)pocType,
            Log2MaxPicOrderCntLsb = (int)log2MaxPocLsb,
            MaxNumRefFrames = (int)maxRefFrames,
            FrameMbsOnly = frameMbsOnly,
            Width = (int)width,
            Height = (int)height,
            TimingInfoPresent = vui.TimingInfoPresent,
            NumUnitsInTick = vui.NumUnitsInTick,
            TimeScale = vui.TimeScale,
            MaxNumReorderFrames = vui.MaxNumReorderFrames,
            MaxDecFrameBuffering = vui.MaxDecFrameBuffering,
        };
        return true;

        static void SkipScalingList(ref BitReader r, int size)
        {
            // H.264 §7.3.2.1.1.1
            int last = 8, next = 8;
            for (var j = 0; j < size && !r.Overrun; j++)
            {
                if (next != 0)
                {
                    next = (last + r.ReadSe() + 256) % 256;
                }

                last = next == 0 ? last : next;
            }
        }
    }
}
