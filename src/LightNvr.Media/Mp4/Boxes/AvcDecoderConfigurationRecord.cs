namespace LightNvr.Media.Mp4.Boxes;

/// <summary>
/// The <c>avcC</c> box body: AVCDecoderConfigurationRecord, ISO/IEC 14496-15 §5.3.3.1, with one SPS and one PPS and
/// 4-byte NAL length prefixes (lengthSizeMinusOne = 3), matching <see cref="MediaFrame.Data"/>.
/// </summary>
public static class AvcDecoderConfigurationRecord
{
    /// <summary>Parameter sets are written with a 16-bit length (§5.3.3.1).</summary>
    public const int MaxParameterSetLength = ushort.MaxValue;

    public static int GetSize(ReadOnlySpan<byte> sps, ReadOnlySpan<byte> pps) => 5 + 1 + 2 + sps.Length + 1 + 2 + pps.Length;

    public static void WriteTo(ref BoxWriter w, ReadOnlySpan<byte> sps, ReadOnlySpan<byte> pps)
    {
        if (sps.Length < 4 || sps.Length > MaxParameterSetLength || pps.Length > MaxParameterSetLength)
        {
            throw new ArgumentException("SPS must hold at least profile, constraints and level; sets ≤ 65535 bytes");
        }

        w.WriteByte(1); // configurationVersion
        w.WriteByte(sps[1]); // AVCProfileIndication
        w.WriteByte(sps[2]); // profile_compatibility
        w.WriteByte(sps[3]); // AVCLevelIndication
        w.WriteByte(0xFF); // reserved(6) + lengthSizeMinusOne(2) = 3
        w.WriteByte(0xE1); // reserved(3) + numOfSequenceParameterSets(5) = 1
        w.WriteUInt16((ushort)sps.Length);
        w.WriteBytes(sps);
        w.WriteByte(1); // numOfPictureParameterSets
        w.WriteUInt16((ushort)pps.Length);
        w.WriteBytes(pps);
    }

    /// <summary>Reads the first SPS and PPS back from an avcC body; false when it is malformed.</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out byte[] sps, out byte[] pps)
    {
        sps = [];
        pps = [];
        if (body.Length < 7)
        {
            return false;
        }

        var pos = 5;
        var spsCount = body[pos++] & 0x1F;
        for (var i = 0; i < spsCount; i++)
        {
            if (!TryTake(body, ref pos, out var set))
            {
                return false;
            }

            if (i == 0)
            {
                sps = set;
            }
        }

        if (pos >= body.Length)
        {
            return false;
        }

        var ppsCount = body[pos++];
        for (var i = 0; i < ppsCount; i++)
        {
            if (!TryTake(body, ref pos, out var set))
            {
                return false;
            }

            if (i == 0)
            {
                pps = set;
            }
        }

        return sps.Length > 0 && pps.Length > 0;
    }

    internal static bool TryTake(ReadOnlySpan<byte> body, ref int pos, out byte[] set)
    {
        set = [];
        if (pos + 2 > body.Length)
        {
            return false;
        }

        var length = (body[pos] << 8) | body[pos + 1];
        pos += 2;
        if (pos + length > body.Length)
        {
            return false;
        }

        set = body.Slice(pos, length).ToArray();
        pos += length;
        return true;
    }
}
