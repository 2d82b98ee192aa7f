using System.Globalization;
using System.Text;
using LightNvr.Media.Codecs.H264;
using LightNvr.Media.Codecs.H265;

namespace LightNvr.Media.Codecs;

/// <summary>
/// RFC 6381 codec strings for MSE <c>isTypeSupported</c>/<c>addSourceBuffer</c> and the HLS CODECS attribute, built
/// from the parsed parameter sets: <c>avc1.PPCCLL</c> (ISO/IEC 14496-15 Annex E.3), <c>hvc1.P.C.TL.B…</c> (Annex
/// E.5), <c>mp4a.40.AOT</c> (RFC 6381 §3.3), <c>opus</c>, <c>ulaw</c>/<c>alaw</c> for G.711 (no registered string; no
/// browser plays it). One case convention: hexadecimal digits in upper case, as RFC 6381's own examples
/// (<c>avc1.42E01E</c>) and Annex E (<c>hvc1.1.6.L93.B0</c>) write them; browsers compare them case-insensitively.
/// </summary>
public static class CodecString
{
    public static string For(MediaTrack track) => track.Codec switch
    {
        MediaCodec.H264 => ForH264(track.Sps),
        MediaCodec.H265 => ForH265(track.Sps),
        MediaCodec.Aac => ForAac(track.AudioSpecificConfig),
        MediaCodec.Pcmu => "ulaw",
        MediaCodec.Pcma => "alaw",
        MediaCodec.Opus => "opus",
        _ => throw new NotSupportedException("No codec string for " + track.Codec),
    };

    /// <summary>Codec strings of all tracks joined with commas, e.g. for <c>video/mp4; codecs="…"</c>.</summary>
    public static string For(IReadOnlyList<MediaTrack> tracks)
    {
        var sb = new StringBuilder();
        foreach (var t in tracks)
        {
            sb.Append(sb.Length == 0 ? "" : ",").Append(For(t));
        }

        return sb.ToString();
    }

    /// <summary>
    /// <c>avc1.</c> + profile_idc, the constraint flags byte and level_idc of the SPS NAL unit. An SPS the parser
    /// refuses still names its first three bytes (they are those fields, H.264 §7.3.2.1.1), so a camera with an odd
    /// SPS keeps live view; under four bytes there is nothing to name (<c>avc1</c>).
    /// </summary>
    public static string ForH264(ReadOnlySpan<byte> sps)
    {
        if (H264SequenceParameterSet.TryParse(sps, out var parsed))
        {
            return ForH264(parsed);
        }

        return sps.Length < 4 ? "avc1" : string.Create(CultureInfo.InvariantCulture, $"avc1.{sps[1]:X2}{sps[2]:X2}{sps[3]:X2}");
    }

    public static string ForH264(in H264SequenceParameterSet sps) =>
        string.Create(CultureInfo.InvariantCulture, $"avc1.{sps.ProfileIdc:X2}{sps.ConstraintFlags:X2}{sps.LevelIdc:X2}");

    /// <summary>The <c>hvc1</c> string of an SPS NAL unit, or bare <c>hvc1</c> when it cannot be parsed.</summary>
    public static string ForH265(ReadOnlySpan<byte> sps) =>
        H265SequenceParameterSet.TryParse(sps, out var parsed) ? ForH265(parsed.ProfileTierLevel) : "hvc1";

    /// <summary>
    /// <c>hvc1.</c>[A-C]profile_idc <c>.</c> compatibility flags bit-reversed in hex <c>.</c> L|H level_idc
    /// <c>.</c> constraint bytes in hex, trailing zero bytes omitted (ISO/IEC 14496-15 Annex E.5).
    /// </summary>
    public static string ForH265(in H265ProfileTierLevel ptl)
    {
        var sb = new StringBuilder("hvc1.");
        if (ptl.ProfileSpace > 0)
        {
            sb.Append((char)('A' + ptl.ProfileSpace - 1));
        }

        sb.Append(ptl.ProfileIdc.ToString(CultureInfo.InvariantCulture)).Append('.');
        uint reversed = 0;
        for (var i = 0; i < 32; i++)
        {
            reversed |= ((ptl.ProfileCompatibilityFlags >> i) & 1) << (31 - i);
        }

        sb.Append(reversed.ToString("X", CultureInfo.InvariantCulture)).Append('.');
        sb.Append(ptl.Tier ? 'H' : 'L').Append(ptl.LevelIdc.ToString(CultureInfo.InvariantCulture));
        Span<byte> constraints = stackalloc byte[6];
        var last = -1;
        for (var i = 0; i < 6; i++)
        {
            constraints[i] = (byte)(ptl.ConstraintIndicatorFlags >> (40 - (8 * i)));
            if (constraints[i] != 0)
            {
                last = i;
            }
        }

        for (var i = 0; i <= last; i++)
        {
            sb.Append('.').Append(constraints[i].ToString("X", CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    /// <summary><c>mp4a.40.</c> + the audioObjectType of the AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1).</summary>
    public static string ForAac(ReadOnlySpan<byte> audioSpecificConfig)
    {
        if (audioSpecificConfig.Length == 0)
        {
            return "mp4a.40.2";
        }

        var aot = audioSpecificConfig[0] >> 3;
        if (aot == 31 && audioSpecificConfig.Length > 1)
        {
            aot = 32 + (((audioSpecificConfig[0] & 0x07) << 3) | (audioSpecificConfig[1] >> 5));
        }

        return "mp4a.40." + aot.ToString(CultureInfo.InvariantCulture);
    }
}
