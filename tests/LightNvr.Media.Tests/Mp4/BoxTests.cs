using LightNvr.Media.Mp4.Boxes;
using LightNvr.Media.Mp4.Fragmented;

namespace LightNvr.Media.Tests.Mp4;

/// <summary>Small boxes, byte-exact against bytes computed by hand from ISO/IEC 14496-12/-14/-15.</summary>
public sealed class BoxTests
{
    [Fact]
    public void FileTypeBox_is_iso5_with_iso6_mp41_isom()
    {
        var buffer = new byte[32];
        var w = new BoxWriter(buffer);
        Fmp4InitSegment.WriteFileTypeBox(ref w);
        Assert.Equal(32, w.Position);
        Assert.Equal("00000020" + "66747970" + "69736f35" + "00000200" + "69736f35" + "69736f36" + "6d703431" + "69736f6d",
            TestVectors.Hex(buffer));
    }

    [Fact]
    public void MovieFragmentBox_one_video_run()
    {
        FragmentSample[] samples = [new(3000, 10, true, 0), new(3000, 5, false, 0)];
        TrackFragment[] runs = [new(1, 90000, samples, isVideo: true)];
        var size = MovieFragmentBox.GetSize(runs);
        Assert.Equal(112, size);
        var buffer = new byte[size + 8];
        Assert.Equal(120, MovieFragmentBox.WriteTo(buffer, 7, runs));
        Assert.Equal(
            "00000070" + "6d6f6f66"
            + "00000010" + "6d666864" + "00000000" + "00000007"
            + "00000058" + "74726166"
            + "00000010" + "74666864" + "00020000" + "00000001"
            + "00000014" + "74666474" + "01000000" + "0000000000015f90"
            + "0000002c" + "7472756e" + "00000701" + "00000002" + "00000078"
            + "00000bb8" + "0000000a" + "02000000"
            + "00000bb8" + "00000005" + "01010000"
            + "00000017" + "6d646174",
            TestVectors.Hex(buffer));
    }

    [Fact]
    public void MovieFragmentBox_audio_uses_default_flags_and_bframes_use_signed_offsets()
    {
        FragmentSample[] video = [new(3000, 4, true, 6000), new(3000, 4, false, -3000)];
        FragmentSample[] audio = [new(1024, 3, true, 0)];
        TrackFragment[] runs = [new(1, 0, video, true), new(2, 0, audio, false)];
        var buffer = new byte[MovieFragmentBox.GetSize(runs) + 8];
        var written = MovieFragmentBox.WriteTo(buffer, 1, runs);
        Assert.Equal(buffer.Length, written);
        var hex = TestVectors.Hex(buffer);
        Assert.Contains("7472756e" + "01000f01", hex, StringComparison.Ordinal); // trun v1: offsets present
        Assert.Contains("00000bb8" + "00000004" + "01010000" + "fffff448", hex, StringComparison.Ordinal); // -3000
        Assert.Contains("74666864" + "00020020" + "00000002" + "02000000", hex, StringComparison.Ordinal); // audio tfhd
        Assert.Contains("7472756e" + "00000301" + "00000001", hex, StringComparison.Ordinal); // audio trun v0
        Assert.EndsWith("00000013" + "6d646174", hex, StringComparison.Ordinal); // 8 + 4 + 4 + 3
    }

    [Fact]
    public void AvcDecoderConfigurationRecord_layout()
    {
        var sps = TestVectors.H264Sps;
        var pps = TestVectors.H264Pps;
        var buffer = new byte[AvcDecoderConfigurationRecord.GetSize(sps, pps)];
        var w = new BoxWriter(buffer);
        AvcDecoderConfigurationRecord.WriteTo(ref w, sps, pps);
        Assert.Equal(buffer.Length, w.Position);
        Assert.Equal("0164000cffe10019" + TestVectors.Hex(sps) + "010006" + TestVectors.Hex(pps), TestVectors.Hex(buffer));
        Assert.True(AvcDecoderConfigurationRecord.TryParse(buffer, out var s, out var p));
        Assert.Equal(sps, s);
        Assert.Equal(pps, p);
    }

    [Fact]
    public void EsDescriptor_for_aac_lc()
    {
        var asc = TestVectors.AacLc48kStereo;
        var buffer = new byte[EsDescriptor.GetSize(asc)];
        var w = new BoxWriter(buffer);
        EsDescriptor.WriteTo(ref w, asc, 2);
        Assert.Equal(buffer.Length, w.Position);
        Assert.Equal("0319" + "0002" + "00" + "0411" + "40" + "15" + "000000" + "00000000" + "00000000" + "05021190" + "060102",
            TestVectors.Hex(buffer));
        Assert.True(EsDescriptor.TryParse(buffer, out var parsed));
        Assert.Equal(asc, parsed);
    }

    [Fact]
    public void HevcDecoderConfigurationRecord_header_from_sps()
    {
        var buffer = new byte[HevcDecoderConfigurationRecord.GetSize(TestVectors.H265Vps, TestVectors.H265Sps, TestVectors.H265Pps)];
        var w = new BoxWriter(buffer);
        HevcDecoderConfigurationRecord.WriteTo(ref w, TestVectors.H265Vps, TestVectors.H265Sps, TestVectors.H265Pps);
        Assert.Equal(buffer.Length, w.Position);
        // version 1; space 0, tier 0, profile 1; compat 0x60000000; constraints 90 00 00 00 00 00; level 60 (0x3c);
        // min_spatial_segmentation 0; parallelism 0; chroma 4:2:0; 8-bit; avgFrameRate 0; 1 temporal layer, nested, 4-byte lengths.
        Assert.StartsWith("01" + "01" + "60000000" + "900000000000" + "3c" + "f000" + "fc" + "fd" + "f8" + "f8" + "0000" + "0f" + "03"
            + "a00001" + "0018", TestVectors.Hex(buffer), StringComparison.Ordinal);
        Assert.True(HevcDecoderConfigurationRecord.TryParse(buffer, out var vps, out var sps, out var pps));
        Assert.Equal(TestVectors.H265Vps, vps);
        Assert.Equal(TestVectors.H265Sps, sps);
        Assert.Equal(TestVectors.H265Pps, pps);
    }
}
