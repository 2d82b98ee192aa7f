using LightNvr.Media.Mp4;

namespace LightNvr.Media.Tests.Mp4;

public sealed class CodecTests
{
    [Fact]
    public void Codec_strings()
    {
        Assert.Equal("avc1.64000c", CodecString.For(TestVectors.H264));
        Assert.Equal("hvc1.1.6.L60.90", CodecString.For(TestVectors.H265));
        Assert.Equal("mp4a.40.2", CodecString.For(TestVectors.Aac));
        Assert.Equal("mp4a.40.5", CodecString.ForAac([0x2B, 0x92, 0x08, 0x00])); // HE-AAC
        Assert.Equal("ulaw", CodecString.For(TestVectors.Pcmu));
        Assert.Equal("avc1.64000c,mp4a.40.2", CodecString.For([TestVectors.H264, TestVectors.Aac]));
    }

    [Fact]
    public void Hevc_sps_fields()
    {
        Assert.True(HevcSpsInfo.TryParse(TestVectors.H265Sps, out var info));
        Assert.Equal((0, false, 1, 60), (info.ProfileSpace, info.TierFlag, info.ProfileIdc, info.LevelIdc));
        Assert.Equal(0x60000000u, info.ProfileCompatibilityFlags);
        Assert.Equal(0x900000000000ul, info.ConstraintIndicatorFlags);
        Assert.Equal((1, 0, 0), (info.ChromaFormatIdc, info.BitDepthLumaMinus8, info.BitDepthChromaMinus8));
        Assert.Equal((320, 240), (info.Width, info.Height));
    }

    [Fact]
    public void Hevc_sps_every_prefix_fails_or_parses_the_same()
    {
        Assert.True(HevcSpsInfo.TryParse(TestVectors.H265Sps, out var full));
        var failures = 0;
        for (var i = 0; i < TestVectors.H265Sps.Length; i++)
        {
            if (HevcSpsInfo.TryParse(TestVectors.H265Sps.AsSpan(0, i), out var info))
            {
                Assert.Equal(full, info);
            }
            else
            {
                failures++;
            }
        }

        Assert.True(failures > 10);
    }

    [Fact]
    public void Bit_reader_skips_emulation_prevention_bytes()
    {
        var r = new RbspBitReader([0x00, 0x00, 0x03, 0x01, 0x80]);
        Assert.True(r.TryReadBits(24, out var v));
        Assert.Equal(0x000001ul, v);
        Assert.True(r.TryReadUe(out var ue)); // 0x80 = '1' → ue 0
        Assert.Equal(0u, ue);
    }

    [Fact]
    public void Parameter_set_filter_drops_sps_pps_only()
    {
        byte[] au = [0, 0, 0, 2, 0x67, 0xAA, 0, 0, 0, 1, 0x68, 0, 0, 0, 3, 0x65, 0xBB, 0xCC, 0, 0, 0, 1, 0x06];
        Assert.Equal(12, ParameterSetFilter.GetFilteredSize(au, MediaCodec.H264));
        var dest = new byte[12];
        Assert.Equal(12, ParameterSetFilter.CopyFiltered(au, MediaCodec.H264, dest));
        Assert.Equal("0000000365bbcc0000000106", TestVectors.Hex(dest));
        byte[] hevc = [0, 0, 0, 2, 0x40, 0x01, 0, 0, 0, 2, 0x26, 0x01];
        Assert.Equal(6, ParameterSetFilter.GetFilteredSize(hevc, MediaCodec.H265));
        byte[] broken = [0, 0, 0, 9, 0x67, 0xAA];
        Assert.Equal(broken.Length, ParameterSetFilter.GetFilteredSize(broken, MediaCodec.H264));
        Assert.Equal(au.Length, ParameterSetFilter.GetFilteredSize(au, MediaCodec.Aac));
    }
}
