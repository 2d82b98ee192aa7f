using LightNvr.Media.Codecs;

namespace LightNvr.Media.Tests.Codecs;

/// <summary>DTS from PTS in decoding order: a table of GOP structures (PTS in frames of 3600 ticks, DTS in ticks).</summary>
public sealed class DtsExtractorTests
{
    private const long F = 3600;

    public static readonly TheoryData<string, int, int[], long[], int> Cases = new()
    {
        // name, reorder depth from the SPS (−1 unknown), PTS in decoding order, expected DTS, expected corrections.
        { "no B-frames", 0, [0, 1, 2, 3, 4], [0, F, 2 * F, 3 * F, 4 * F], 0 },
        { "IPBB, depth 2", 2, [0, 3, 1, 2, 6, 4, 5], [0, F, 2 * F, 3 * F, 4 * F, 5 * F, 6 * F], 0 },
        { "IPBB, depth 1 is enough", 1, [0, 3, 1, 2, 6, 4, 5], [0, F, 2 * F, 3 * F, 4 * F, 5 * F, 6 * F], 0 },
        { "b-pyramid IPBb", 2, [0, 4, 2, 1, 3, 8, 6, 5, 7], [0, F, 2 * F, 3 * F, 4 * F, 5 * F, 6 * F, 7 * F, 8 * F], 0 },
        // Frame with PTS 2 lost: the decode clock skips one frame where it would have been.
        { "a lost B-frame", 2, [0, 3, 1, 6, 4, 5], [0, F, 2 * F, 3 * F, 5 * F, 6 * F], 0 },
        // No VUI: the depth is learnt at the first B-frame; the two pictures before it are forced (1 tick apart).
        { "depth learnt at the first B-frame", -1, [0, 3, 1, 2, 6, 4, 5, 9, 7, 8],
            [0, 3 * F, (3 * F) + 1, (3 * F) + 2, (3 * F) + 3, 4 * F, 5 * F, 6 * F, 7 * F, 8 * F], 2 },
        { "unknown depth, no B-frames", -1, [0, 1, 2, 3], [0, F, 2 * F, 3 * F], 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Dts_is_monotonic_not_above_pts_and_follows_the_decode_clock(string name, int depth, int[] pts,
        long[] expected, int corrections)
    {
        var x = new DtsExtractor();
        x.SetReorderDepth(depth);
        var dts = new List<long>();
        for (var i = 0; i < pts.Length; i++)
        {
            x.Extract(pts[i] * F, out var d, out var p);
            Assert.True(d <= p, $"{name}: frame {i} DTS {d} > PTS {p}");
            dts.Add(d);
        }

        Assert.Equal(expected, dts);
        Assert.Equal(corrections, x.Corrections);
    }
}
