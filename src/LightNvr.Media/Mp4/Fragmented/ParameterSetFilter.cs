using System.Buffers.Binary;
using LightNvr.Media.Codecs.H264;
using LightNvr.Media.Codecs.H265;

namespace LightNvr.Media.Mp4.Fragmented;

/// <summary>
/// Drops in-band parameter-set NAL units (H.264 SPS 7 / PPS 8; H.265 VPS 32 / SPS 33 / PPS 34) from a
/// length-prefixed access unit. <c>avc1</c>/<c>hvc1</c> carry the parameter sets in the sample entry (ISO/IEC
/// 14496-15 §5.4.2.1, §8.4.1.1: for hvc1 they "shall not" be in samples), so the muxer writes samples without them;
/// a camera that changes them makes the depacketizer publish a new track, and the muxer reports that.
/// A malformed access unit (a length running past the end) is written unchanged.
/// </summary>
public static class ParameterSetFilter
{
    /// <summary>The size of the access unit once filtered (its full length when nothing is dropped or it is malformed).</summary>
    public static int GetFilteredSize(ReadOnlySpan<byte> accessUnit, MediaCodec codec)
    {
        var kept = 0;
        var pos = 0;
        while (pos < accessUnit.Length)
        {
            if (!TryNext(accessUnit, pos, out var length))
            {
                return accessUnit.Length;
            }

            if (!IsParameterSet(accessUnit[pos + 4], codec))
            {
                kept += 4 + length;
            }

            pos += 4 + length;
        }

        return kept;
    }

    /// <summary>Copies the filtered access unit; <paramref name="destination"/> holds <see cref="GetFilteredSize"/> bytes.</summary>
    public static int CopyFiltered(ReadOnlySpan<byte> accessUnit, MediaCodec codec, Span<byte> destination)
    {
        if (GetFilteredSize(accessUnit, codec) == accessUnit.Length)
        {
            accessUnit.CopyTo(destination);
            return accessUnit.Length;
        }

        var written = 0;
        var pos = 0;
        while (pos < accessUnit.Length && TryNext(accessUnit, pos, out var length))
        {
            if (!IsParameterSet(accessUnit[pos + 4], codec))
            {
                accessUnit.Slice(pos, 4 + length).CopyTo(destination[written..]);
                written += 4 + length;
            }

            pos += 4 + length;
        }

        return written;
    }

    private static bool TryNext(ReadOnlySpan<byte> au, int pos, out int length)
    {
        length = 0;
        if (pos + 5 > au.Length)
        {
            return false;
        }

        var l = BinaryPrimitives.ReadUInt32BigEndian(au[pos..]);
        if (l == 0 || l > (uint)(au.Length - pos - 4))
        {
            return false;
        }

        length = (int)l;
        return true;
    }

    private static bool IsParameterSet(byte nalHeader, MediaCodec codec) => codec switch
    {
        MediaCodec.H264 => (H264NalUnitType)(nalHeader & 0x1F) is H264NalUnitType.Sps or H264NalUnitType.Pps,
        MediaCodec.H265 => (H265NalUnitType)((nalHeader >> 1) & 0x3F)
            is H265NalUnitType.Vps or H265NalUnitType.Sps or H265NalUnitType.Pps,
        _ => false,
    };
}
