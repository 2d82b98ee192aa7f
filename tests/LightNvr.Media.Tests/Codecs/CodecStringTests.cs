using LightNvr.Media.Codecs;
using LightNvr.Media.Codecs.H265;
using LightNvr.Media.Mp4.Fragmented;
using LightNvr.Media.Tests.Mp4;

namespace LightNvr.Media.Tests.Codecs;

/// <summary>The one codec-string builder (from parsed parameter sets, upper-case hex), the H.265 SPS fields hvcC needs, the bit reader over escaped NAL bytes.</summary>
public sealed class CodecStringTests
{
    [Fact]
    public void Codec_strings()
    {
        Assert.Equal("avc1.64000C", CodecString.For(TestVectors.H264));
        Assert.Equal("hvc1.1.6.L60.90", CodecString.For(TestVectors.H265));
        Assert.Equal("mp4a.40.2", CodecString.For(TestVectors.Aac));
        Assert.Equal("mp4a.40.5", CodecString.ForAac([0x2B, 0x92, 0x08, 0x00])); // HE-AAC
        Assert.Equal("ulaw", CodecString.For(TestVectors.Pcmu));
        Assert.Equal("avc1.64000C,mp4a.40.2", CodecString.For([TestVectors.H264, TestVectors.Aac]));
        Assert.Equal("avc1.4DE01F", CodecString.ForH264([0x67, 0x4D, 0xE0, 0x1F])); // unparseable: the header bytes still name it
        Assert.Equal("avc1", CodecString.ForH264([0x67, 0x4D]));
        Assert.Equal("hvc1", CodecString.ForH265([0x42, 0x01, 0x01]));
    }

    [Fact]
    public void Hevc_codec_string_from_profile_tier_level()
    {
        var ptl = new H265ProfileTierLevel
        {
            ProfileSpace = 0, Tier = false, ProfileIdc = 1, ProfileCompatibilityFlags = 0x60000000,
            ConstraintIndicatorFlags = 0xB000_0000_0000, LevelIdc = 93,
        };
        Assert.Equal("hvc1.1.6.L93.B0", CodecString.ForH265(ptl)); // ISO/IEC 14496-15 Annex E.5's example
        Assert.Equal("hvc1.A4.6.H120.B0.1", CodecString.ForH265(ptl with
        {
            ProfileSpace = 1, ProfileIdc = 4, Tier = true, LevelIdc = 120, ConstraintIndicatorFlags = 0xB001_0000_0000,
        }));
    }

    [Fact]
    public void Hevc_sps_fields()
    {
        Assert.True(H265SequenceParameterSet.TryParse(TestVectors.H265Sps, out var sps));
        var ptl = sps.ProfileTierLevel;
        Assert.Equal((0, false, 1, 60), (ptl.ProfileSpace, ptl.Tier, ptl.ProfileIdc, ptl.LevelIdc));
        Assert.Equal(0x60000000u, ptl.ProfileCompatibilityFlags);
        Assert.Equal(0x900000000000ul, ptl.ConstraintIndicatorFlags);
        Assert.Equal((1, 8, 8), (sps.ChromaFormatIdc, sps.BitDepthLuma, sps.BitDepthChroma));
        Assert.Equal((320, 240), (sps.Width, sps.Height));
        Assert.True(sps.TemporalIdNesting);
    }

    [Fact]
    public void Hevc_sps_every_prefix_fails_or_parses_the_same()
    {
        Assert.True(H265SequenceParameterSet.TryParse(TestVectors.H265Sps, out var full));
        var failures = 0;
        for (var i = 0; i < TestVectors.H265Sps.Length; i++)
        {
            if (H265SequenceParameterSet.TryParse(TestVectors.H265Sps.AsSpan(0, i), out var sps))
            {
                Assert.Equal(full, sps);
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
        Span<byte> rbsp = stackalloc byte[8];
        var length = EmulationPrevention.Remove([0x00, 0x00, 0x03, 0x01, 0x80], rbsp);
        var r = new BitReader(rbsp[..length]);
        Assert.Equal(0x000001u, r.ReadBits(24));
        Assert.Equal(0u, r.ReadUe()); // 0x80 = '1' → ue 0
        Assert.False(r.Overrun);
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
