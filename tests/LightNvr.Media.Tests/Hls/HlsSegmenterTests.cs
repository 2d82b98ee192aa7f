using System.Globalization;
using System.Text.RegularExpressions;
using LightNvr.Media;
using LightNvr.Media.Hls;

namespace LightNvr.Media.Tests.Hls;

/// <summary>
/// The in-memory HLS segmenter on synthetic frames (no real peer needed to check cut points and playlist syntax;
/// ffmpeg and hls.js play real output in the interop tests): 2 s segments even with a 4 s GOP, keyframe cuts after
/// 1 s, a bounded window, EXT-X-VERSION 7 with EXT-X-MAP.
/// </summary>
public sealed partial class HlsSegmenterTests
{
    private static readonly MediaTrack Video = new()
    {
        Id = 0, Codec = MediaCodec.H264, ClockRate = 90000, Sps = [0x67, 0x42, 0xC0, 0x1E, 0xD9, 0x00],
        Pps = [0x68, 0xCE, 0x3C, 0x80], Width = 640, Height = 360,
    };

    [Theory]
    [InlineData(60, 2.0)]   // 4 s GOP: cut at the 2 s bound
    [InlineData(15, 1.0)]   // 1 s GOP: cut at every keyframe
    public void Segments_stay_within_the_target_duration(int gop, double expectedSeconds)
    {
        using var segmenter = new HlsSegmenter([Video]);
        for (var i = 0; i < 15 * 30; i++) // 30 s at 15 fps
        {
            Assert.True(segmenter.Add(Frame(i, i % gop == 0)));
        }

        var playlist = segmenter.Playlist("init.mp4", n => n.ToString(CultureInfo.InvariantCulture) + ".m4s");
        Assert.StartsWith("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n", playlist);
        Assert.Contains("#EXT-X-MAP:URI=\"init.mp4\"\n", playlist);
        var durations = ExtInf().Matches(playlist).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(HlsSegmenter.MaxSegments, durations.Length);
        Assert.All(durations, d => Assert.Equal(expectedSeconds, d, 0.07));

        var sequence = long.Parse(MediaSequence().Match(playlist).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(segmenter.TryGetSegment(sequence, out var first));
        Assert.Equal("moof", System.Text.Encoding.ASCII.GetString(first.Data, 4, 4));
        Assert.False(segmenter.TryGetSegment(sequence - 1, out _)); // slid out of the window
    }

    [Fact]
    public void Cut_after_the_cached_gop_makes_the_first_segment_at_once()
    {
        using var segmenter = new HlsSegmenter([Video]);
        for (var i = 0; i < 10; i++)
        {
            segmenter.Add(Frame(i, i == 0));
        }

        Assert.Equal(0, segmenter.SegmentCount);
        segmenter.Cut();
        Assert.Equal(1, segmenter.SegmentCount);
        Assert.True(segmenter.TryGetSegment(0, out var s));
        Assert.True(s.StartsWithKeyFrame);
        Assert.Equal(0.6, s.Duration.TotalSeconds, 0.01); // 9 completed frames; the 10th is held for its duration
    }

    private static MediaFrame Frame(int index, bool key) => new(Video, index * 6000L, 0, key,
        new byte[] { 0, 0, 0, 2, key ? (byte)0x65 : (byte)0x41, 0x88 }, 1_700_000_000_000 + (index * 1000L / 15));

    [GeneratedRegex(@"#EXTINF:([0-9.]+),")]
    private static partial Regex ExtInf();

    [GeneratedRegex(@"#EXT-X-MEDIA-SEQUENCE:(\d+)")]
    private static partial Regex MediaSequence();
}
