using System.Text;
using LightNvr.Media;
using LightNvr.Media.Codecs;
using LightNvr.Media.Codecs.Aac;
using LightNvr.Media.Codecs.H264;
using LightNvr.Media.Codecs.H265;
using LightNvr.Media.Mp4.Fragmented;

namespace LightNvr.Fuzz.Targets;

/// <summary>
/// Parameter sets and audio configs as a camera sends them (SDP fmtp or in-band NAL units). Documented outcome for
/// bad input: <c>TryParse</c> false. What parses must also go into an init segment (the recorder writes what the
/// camera sent) and a codec string (the MSE player's) without throwing.
/// </summary>
public static class CodecTargets
{
    private static readonly byte[] H264Pps = Convert.FromHexString("68ebe3cb22c0");
    private static readonly byte[] H265Vps = Convert.FromHexString("40010c01ffff01600000030090000003000003003c959809");
    private static readonly byte[] H265Pps = Convert.FromHexString("4401c172b46240");

    public static void RunH264Sps(byte[] data)
    {
        _ = CodecString.ForH264(data);
        if (!H264SequenceParameterSet.TryParse(data, out var sps))
        {
            return;
        }

        var track = new MediaTrack
        {
            Id = 0, Codec = MediaCodec.H264, ClockRate = 90000, Sps = data, Pps = H264Pps, Width = sps.Width,
            Height = sps.Height,
        };
        if (Fmp4Muxer.CanMux(track))
        {
            _ = Fmp4InitSegment.Create([track]);
        }
    }

    public static void RunH265ParameterSets(byte[] data)
    {
        _ = CodecString.ForH265(data);
        H265VideoParameterSet.TryParse(data, out _);
        if (!H265SequenceParameterSet.TryParse(data, out var sps))
        {
            return;
        }

        var track = new MediaTrack
        {
            Id = 0, Codec = MediaCodec.H265, ClockRate = 90000, Vps = H265Vps, Sps = data, Pps = H265Pps,
            Width = sps.Width, Height = sps.Height,
        };
        if (Fmp4Muxer.CanMux(track))
        {
            _ = Fmp4InitSegment.Create([track]);
        }
    }

    public static void RunAacConfig(byte[] data)
    {
        _ = CodecString.ForAac(data);
        AudioSpecificConfig.TryParseHex(Encoding.Latin1.GetString(data), out _, out _);
        if (!AudioSpecificConfig.TryParseHex(Convert.ToHexString(data), out var fromHex, out var bytes) ||
            !AudioSpecificConfig.TryParse(data, out var config))
        {
            return;
        }

        if (fromHex != config || !bytes.AsSpan().SequenceEqual(data))
        {
            throw new FuzzInvariantException("hex and binary parses of the same config differ");
        }

        var track = new MediaTrack
        {
            Id = 0, Codec = MediaCodec.Aac, ClockRate = config.SampleRate, AudioSpecificConfig = data,
            SampleRate = config.SampleRate, Channels = config.Channels,
        };
        if (track.ClockRate > 0 && Fmp4Muxer.CanMux(track))
        {
            _ = Fmp4InitSegment.Create([track]);
        }
    }
}
