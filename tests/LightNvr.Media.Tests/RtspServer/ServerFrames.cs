using System.Buffers.Binary;

namespace LightNvr.Media.Tests.RtspServer;

/// <summary>Synthetic H.264 (SPS/PPS from the GStreamer capture TestData/codecs/gst_h264_baseline_pcma.sdp) (length-prefixed NAL units without in-band SPS/PPS) + PCMU frames for server tests.</summary>
internal static class ServerFrames
{
    public static readonly MediaTrack Video = new()
    {
        Id = 0, Codec = MediaCodec.H264, ClockRate = 90000, Sps = [0x67, 0x42, 0xC0, 0x0D, 0xDA, 0x05, 0x07, 0xEC, 0x05, 0xA8, 0x30, 0x30, 0x35, 0x28, 0x00, 0x00, 0x03, 0x00, 0x08, 0x00, 0x00, 0x03, 0x01, 0x94, 0x78, 0xA1, 0x55], Pps = [0x68, 0xCE, 0x3C, 0x80],
        Width = 320, Height = 240,
    };

    public static readonly MediaTrack Audio = new() { Id = 1, Codec = MediaCodec.Pcmu, ClockRate = 8000, SampleRate = 8000, Channels = 1 };

    public static readonly IReadOnlyList<MediaTrack> Tracks = [Video, Audio];

    /// <summary>A keyframe then <paramref name="count"/> − 1 P frames, each with 20 ms of audio.</summary>
    public static IEnumerable<MediaFrame> Gop(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var size = i == 0 ? 3000 : 400;
            var data = new byte[4 + size];
            BinaryPrimitives.WriteInt32BigEndian(data, size);
            data[4] = (byte)(i == 0 ? 0x65 : 0x41);
            yield return new MediaFrame(Video, i * 6000L, 0, i == 0, data, 1_700_000_000_000 + (i * 66));
            yield return new MediaFrame(Audio, i * 528L, 0, true, new byte[160], 1_700_000_000_000 + (i * 66));
        }
    }
}
