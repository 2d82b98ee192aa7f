using System.Buffers.Binary;

namespace LightNvr.Media.Rtsp.Server;

/// <summary>
/// Puts the track's parameter sets (H.264 SPS/PPS, RFC 6184 §8.4; H.265 VPS/SPS/PPS, RFC 7798 §7.2) in front of a
/// keyframe that lacks them in-band, as MediaMTX and go2rtc do: a client then decodes from any keyframe, whatever it
/// made of the SDP. A frame that already carries an SPS is returned unchanged (no copy).
/// </summary>
internal static class ParameterSetPrefix
{
    public static MediaFrame Apply(MediaFrame frame)
    {
        var track = frame.Track;
        byte[][] sets = track.Codec switch
        {
            MediaCodec.H264 when track.Sps is { } sps && track.Pps is { } pps => [sps, pps],
            MediaCodec.H265 when track.Vps is { } vps && track.Sps is { } sps && track.Pps is { } pps => [vps, sps, pps],
            _ => [],
        };
        if (sets.Length == 0 || HasSps(frame.Data.Span, track.Codec))
        {
            return frame;
        }

        var size = frame.Data.Length + sets.Sum(s => 4 + s.Length);
        var data = new byte[size];
        var offset = 0;
        foreach (var set in sets)
        {
            BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(offset), set.Length);
            set.CopyTo(data, offset + 4);
            offset += 4 + set.Length;
        }

        frame.Data.Span.CopyTo(data.AsSpan(offset));
        return new MediaFrame(track, frame.Dts, frame.CompositionOffset, frame.IsKeyFrame, data, frame.WallClockUnixMs);
    }

    /// <summary>True when the length-prefixed access unit contains an SPS NAL unit.</summary>
    public static bool HasSps(ReadOnlySpan<byte> data, MediaCodec codec)
    {
        while (data.Length > 4)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(data);
            if (length <= 0 || length > data.Length - 4)
            {
                return false;
            }

            var header = data[4];
            var type = codec == MediaCodec.H264 ? header & 0x1F : (header >> 1) & 0x3F;
            if ((codec == MediaCodec.H264 && type == 7) || (codec == MediaCodec.H265 && type == 33))
            {
                return true;
            }

            data = data[(4 + length)..];
        }

        return false;
    }
}
