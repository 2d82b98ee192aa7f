using LightNvr.Media.Codecs.H265;

namespace LightNvr.Media.Mp4.Boxes;

/// <summary>
/// The <c>hvcC</c> box body: HEVCDecoderConfigurationRecord, ISO/IEC 14496-15 §8.3.3.1. The profile/tier/level and
/// format fields come from the SPS (<see cref="H265SequenceParameterSet"/>); VPS, SPS and PPS go in three complete arrays
/// (array_completeness = 1, as <c>hvc1</c> requires), NAL lengths are 4 bytes.
/// </summary>
public static class HevcDecoderConfigurationRecord
{
    private const int HeaderSize = 23;
    private const int VpsNalType = 32;
    private const int SpsNalType = 33;
    private const int PpsNalType = 34;

    public static int GetSize(ReadOnlySpan<byte> vps, ReadOnlySpan<byte> sps, ReadOnlySpan<byte> pps) =>
        HeaderSize + (3 * 5) + vps.Length + sps.Length + pps.Length;

    public static void WriteTo(ref BoxWriter w, ReadOnlySpan<byte> vps, ReadOnlySpan<byte> sps, ReadOnlySpan<byte> pps)
    {
        if (!H265SequenceParameterSet.TryParse(sps, out var info))
        {
            // An SPS we cannot read still goes into the array (decoders parse it themselves); the summary fields
            // then say Main profile, 4:2:0, 8 bits, level unknown rather than failing the recording.
            info = new H265SequenceParameterSet
            {
                ProfileTierLevel = new H265ProfileTierLevel { ProfileIdc = 1, ProfileCompatibilityFlags = 0x60000000 },
                ChromaFormatIdc = 1, BitDepthLuma = 8, BitDepthChroma = 8,
            };
        }

        var ptl = info.ProfileTierLevel;
        w.WriteByte(1); // configurationVersion
        w.WriteByte((byte)((ptl.ProfileSpace << 6) | (ptl.Tier ? 0x20 : 0) | ptl.ProfileIdc));
        w.WriteUInt32(ptl.ProfileCompatibilityFlags);
        w.WriteUInt16((ushort)(ptl.ConstraintIndicatorFlags >> 32));
        w.WriteUInt32((uint)ptl.ConstraintIndicatorFlags);
        w.WriteByte((byte)ptl.LevelIdc);
        w.WriteUInt16(0xF000); // reserved(4) + min_spatial_segmentation_idc(12) = 0
        w.WriteByte(0xFC); // reserved(6) + parallelismType(2) = 0 (unknown)
        w.WriteByte((byte)(0xFC | info.ChromaFormatIdc));
        w.WriteByte((byte)(0xF8 | (info.BitDepthLuma - 8)));
        w.WriteByte((byte)(0xF8 | (info.BitDepthChroma - 8)));
        w.WriteUInt16(0); // avgFrameRate: unspecified
        // constantFrameRate(2) = 0, numTemporalLayers(3), temporalIdNested(1), lengthSizeMinusOne(2) = 3
        w.WriteByte((byte)(((info.MaxSubLayersMinus1 + 1) << 3) | (info.TemporalIdNesting ? 0x04 : 0) | 0x03));
        w.WriteByte(3); // numOfArrays
        WriteArray(ref w, VpsNalType, vps);
        WriteArray(ref w, SpsNalType, sps);
        WriteArray(ref w, PpsNalType, pps);
    }

    /// <summary>Reads the first VPS, SPS and PPS back from an hvcC body; false when it is malformed.</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out byte[] vps, out byte[] sps, out byte[] pps)
    {
        vps = sps = pps = [];
        if (body.Length < HeaderSize)
        {
            return false;
        }

        var pos = HeaderSize - 1;
        var arrays = body[pos++];
        for (var a = 0; a < arrays; a++)
        {
            if (pos + 3 > body.Length)
            {
                return false;
            }

            var type = body[pos] & 0x3F;
            var count = (body[pos + 1] << 8) | body[pos + 2];
            pos += 3;
            for (var i = 0; i < count; i++)
            {
                if (!AvcDecoderConfigurationRecord.TryTake(body, ref pos, out var nal))
                {
                    return false;
                }

                if (i != 0)
                {
                    continue;
                }

                switch (type)
                {
                    case VpsNalType: vps = nal; break;
                    case SpsNalType: sps = nal; break;
                    case PpsNalType: pps = nal; break;
                }
            }
        }

        return vps.Length > 0 && sps.Length > 0 && pps.Length > 0;
    }

    private static void WriteArray(ref BoxWriter w, int nalType, ReadOnlySpan<byte> nal)
    {
        w.WriteByte((byte)(0x80 | nalType)); // array_completeness = 1
        w.WriteUInt16(1);
        w.WriteUInt16((ushort)nal.Length);
        w.WriteBytes(nal);
    }
}
