namespace LightNvr.Media.Codecs.H264;

/// <summary>The VUI fields of H.264 Annex E.1.1 that matter here: timing and the bitstream restriction.</summary>
internal struct H264Vui
{
    /// <summary>H.264 §E.2.2: cpb_cnt_minus1 is in 0..31.</summary>
    private const int MaxCpbCount = 32;

    public bool TimingInfoPresent;
    public uint NumUnitsInTick;
    public uint TimeScale;
    public int MaxNumReorderFrames;
    public int MaxDecFrameBuffering;

    public static bool TryParse(ref BitReader r, out H264Vui vui)
    {
        vui = new H264Vui { MaxNumReorderFrames = -1, MaxDecFrameBuffering = -1 };
        if (r.ReadFlag() && r.ReadBits(8) == 255)
        {
            r.Skip(32); // sar_width, sar_height
        }

        if (r.ReadFlag())
        {
            r.Skip(1); // overscan_appropriate_flag
        }

        if (r.ReadFlag())
        {
            r.Skip(4); // video_format, video_full_range_flag
            if (r.ReadFlag())
            {
                r.Skip(24); // colour_primaries, transfer_characteristics, matrix_coefficients
            }
        }

        if (r.ReadFlag())
        {
            r.ReadUe();
            r.ReadUe();
        }

        vui.TimingInfoPresent = r.ReadFlag();
        if (vui.TimingInfoPresent)
        {
            vui.NumUnitsInTick = r.ReadBits(32);
            vui.TimeScale = r.ReadBits(32);
            r.Skip(1); // fixed_frame_rate_flag
        }

        var nalHrd = r.ReadFlag() && SkipHrd(ref r);
        var vclHrd = r.ReadFlag() && SkipHrd(ref r);
        if (nalHrd || vclHrd)
        {
            r.Skip(1); // low_delay_hrd_flag
        }

        r.Skip(1); // pic_struct_present_flag
        if (r.ReadFlag())
        {
            r.Skip(1); // motion_vectors_over_pic_boundaries_flag
            r.ReadUe(); // max_bytes_per_pic_denom
            r.ReadUe(); // max_bits_per_mb_denom
            r.ReadUe(); // log2_max_mv_length_horizontal
            r.ReadUe(); // log2_max_mv_length_vertical
            var reorder = r.ReadUe();
            var buffering = r.ReadUe();
            if (r.Overrun || reorder > 16 || buffering > 16)
            {
                // H.264 §E.2.1: both are at most MaxDpbFrames ≤ 16.
                return false;
            }

            vui.MaxNumReorderFrames = (int)reorder;
            vui.MaxDecFrameBuffering = (int)buffering;
        }

        // A VUI truncated after the timing info is common in cheap cameras: keep what was read.
        if (r.Overrun)
        {
            vui.MaxNumReorderFrames = -1;
            vui.MaxDecFrameBuffering = -1;
        }

        return true;
    }

    private static bool SkipHrd(ref BitReader r)
    {
        // H.264 §E.1.2
        var cpbCount = r.ReadUe() + 1;
        if (cpbCount > MaxCpbCount)
        {
            return true;
        }

        r.Skip(8); // bit_rate_scale, cpb_size_scale
        for (var i = 0; i < cpbCount && !r.Overrun; i++)
        {
            r.ReadUe();
            r.ReadUe();
            r.Skip(1);
        }

        r.Skip(20); // four 5-bit lengths
        return true;
    }
}
