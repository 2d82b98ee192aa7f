using LightNvr.Media.Codecs.H264;
using LightNvr.Media.Codecs.H265;

namespace LightNvr.Media.Tests.Codecs;

/// <summary>
/// Parameter sets from named cameras and encoders, with the values their sources state (TestData/codecs/README.md):
/// sizes from the source's own test, profile/level read off the first bytes by hand.
/// </summary>
public sealed class SpsGoldenTests
{
    public sealed record H264Case(string Name, string Base64, int Profile, int Constraints, int Level, int Width,
        int Height, double Fps, int ReorderDepth);

    public static readonly TheoryData<H264Case> H264Cases =
    [
        // go2rtc pkg/h264/h264_test.go TestDecodeSPS: "Amcrest AD410", 2560×1920.
        new("Amcrest AD410", "Z0IAMukAUAHjQgAAB9IAAOqcCAA=", 66, 0x00, 50, 2560, 1920, -1, 0),
        // go2rtc pkg/h264/h264_test.go TestDecodeSPS: "Sonoff", 1920×1080. Hand-decoded: pic_order_cnt_type 2
        // (bits 0x99A0 after the level: ue 0, ue 5, ue 2), so output order is decoding order: reorder depth 0.
        new("Sonoff", "R00AKZmgHgCJ+WEAAAMD6AAATiCE", 77, 0x00, 41, 1920, 1080, -1, 0),
        // This repo's GStreamer camera (x264 Main, 2 B-frames, 25 fps): gst_h264_bframes_aac.sdp.
        new("x264 Main 2 B-frames", "Z01ADeygoP2AtQYGBqUAAAMAAQAAAwAyjxQplg==", 77, 0x40, 13, 320, 240, 25, 2),
        // This repo's GStreamer camera (x264 Constrained Baseline, 25 fps): gst_h264_baseline_pcma.sdp.
        new("x264 Constrained Baseline", "Z0LADdoFB+wFqDAwNSgAAAMACAAAAwGUeKFV", 66, 0xC0, 13, 320, 240, 25, 0),
    ];

    [Theory]
    [MemberData(nameof(H264Cases))]
    public void H264_sps_golden_values(H264Case c)
    {
        Assert.True(H264SequenceParameterSet.TryParse(Convert.FromBase64String(c.Base64), out var sps), c.Name);
        Assert.Equal(c.Profile, sps.ProfileIdc);
        Assert.Equal(c.Constraints, sps.ConstraintFlags);
        Assert.Equal(c.Level, sps.LevelIdc);
        Assert.Equal((c.Width, c.Height), (sps.Width, sps.Height));
        if (c.Fps >= 0)
        {
            Assert.Equal(c.Fps, sps.FrameRate, 3);
        }

        Assert.Equal(c.ReorderDepth, sps.ReorderDepth);
        Assert.Equal(1, sps.ChromaFormatIdc);
        Assert.Equal(8, sps.BitDepthLuma);
    }

    public sealed record H265Case(string Name, string Hex, int Profile, int Level, int Width, int Height, int Reorder);

    public static readonly TheoryData<H265Case> H265Cases =
    [
        // mediacommon pkg/codecs/h265/sps_test.go case "avigilon": 3072×1728, Main, level 150, no reordering.
        new("Avigilon", "420101016000000300800000030000030096a001802006c1fe36bbb5377725d602dc0404041000003e800004268721dee510016e200066ff000b71000337f880", 1, 150, 3072, 1728, 0),
        // mediacommon pkg/codecs/h265/sps_test.go case "nvenc": 1920×1088 coded, conformance window bottom 4 → 1080.
        new("NVIDIA NVENC", "420101014000000300000300000300000300" + "7ba003c0801107cb96b4a42592e3016a0202020800000300080000030" + "1e3002ef28800" + "07270c0000989682", 1, 123, 1920, 1080, 0),
        // go2rtc pkg/h265/h265_test.go TestDecodeSPS: 5120×1440.
        new("go2rtc 5120x1440", Convert.ToHexString(Convert.FromBase64String("QgEBAWAAAAMAAAMAAAMAAAMAmaAAoAgBaH+KrTuiS7/8AAQABbAgApMuADN/mAE=")), 1, 153, 5120, 1440, -1),
        // This repo's GStreamer camera (x265 Main, zerolatency): gst_h265_pcmu.sdp.
        new("x265 Main", Convert.ToHexString(Convert.FromBase64String("QgEBBAgAAAMAmAgAAAMAADyQAUEB4ilLdJSYX/4AAgAC1BgYGBAAAAMAEAAAAwGQgA==")), 4, 60, 320, 240, 0),
    ];

    [Theory]
    [MemberData(nameof(H265Cases))]
    public void H265_sps_golden_values(H265Case c)
    {
        Assert.True(H265SequenceParameterSet.TryParse(Convert.FromHexString(c.Hex), out var sps), c.Name);
        Assert.Equal(c.Profile, sps.ProfileTierLevel.ProfileIdc);
        Assert.Equal(c.Level, sps.ProfileTierLevel.LevelIdc);
        Assert.Equal((c.Width, c.Height), (sps.Width, sps.Height));
        if (c.Reorder >= 0)
        {
            Assert.Equal(c.Reorder, sps.MaxNumReorderPics);
        }
    }

    [Fact]
    public void H265_vps_from_the_x265_camera()
    {
        var vps = Convert.FromBase64String("QAEMAf//BAgAAAMAmAgAAAMAADy6AkA=");
        Assert.True(H265VideoParameterSet.TryParse(vps, out var parsed));
        Assert.Equal(0, parsed.VpsId);
        Assert.Equal(4, parsed.ProfileTierLevel.ProfileIdc);
        Assert.Equal(60, parsed.ProfileTierLevel.LevelIdc);
    }
}
