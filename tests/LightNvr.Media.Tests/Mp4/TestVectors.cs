using LightNvr.Media;

namespace LightNvr.Media.Tests.Mp4;

/// <summary>
/// Parameter sets used by the unit tests. Source: ffmpeg 7 encoding <c>testsrc2=size=320x240:rate=15</c> with libx264
/// (High profile, level 1.2) and libx265 (Main profile, level 2.0), read from the Annex-B output; AAC-LC 48 kHz stereo.
/// </summary>
internal static class TestVectors
{
    public static readonly byte[] H264Sps = Convert.FromHexString("6764000cacd94141fb0110000003001000000301e0f1429960");
    public static readonly byte[] H264Pps = Convert.FromHexString("68ebe3cb22c0");
    public static readonly byte[] H265Vps = Convert.FromHexString("40010c01ffff01600000030090000003000003003c959809");
    public static readonly byte[] H265Sps = Convert.FromHexString(
        "42010101600000030090000003000003003ca00a080f165959a4932bc05a020000030002000003001e10");
    public static readonly byte[] H265Pps = Convert.FromHexString("4401c172b46240");

    /// <summary>AudioSpecificConfig: AAC-LC (2), 48 kHz (index 3), 2 channels.</summary>
    public static readonly byte[] AacLc48kStereo = [0x11, 0x90];

    public static MediaTrack H264 => new()
    {
        Id = 0, Codec = MediaCodec.H264, ClockRate = 90000, Sps = H264Sps, Pps = H264Pps, Width = 320, Height = 240,
    };

    public static MediaTrack H265 => new()
    {
        Id = 0, Codec = MediaCodec.H265, ClockRate = 90000, Vps = H265Vps, Sps = H265Sps, Pps = H265Pps, Width = 320,
        Height = 240,
    };

    public static MediaTrack Aac => new()
    {
        Id = 1, Codec = MediaCodec.Aac, ClockRate = 48000, AudioSpecificConfig = AacLc48kStereo, SampleRate = 48000,
        Channels = 2,
    };

    public static MediaTrack Pcmu => new() { Id = 1, Codec = MediaCodec.Pcmu, ClockRate = 8000, SampleRate = 8000, Channels = 1 };

    public static MediaTrack Opus => new() { Id = 1, Codec = MediaCodec.Opus, ClockRate = 48000, SampleRate = 48000, Channels = 2 };

    public static MediaTrack Pcma => new() { Id = 1, Codec = MediaCodec.Pcma, ClockRate = 8000, SampleRate = 8000, Channels = 1 };

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
