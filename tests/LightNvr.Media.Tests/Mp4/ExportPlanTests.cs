using LightNvr.Media.Mp4.Export;
using LightNvr.Media.Mp4.Fragmented;
using LightNvr.Media.Mp4.Reading;
using LightNvr.Testing;

namespace LightNvr.Media.Tests.Mp4;

/// <summary>
/// The export plan on synthetic segments (files in a temp folder, deleted afterwards): any byte range equals the same
/// bytes of the whole output, the cut starts at a keyframe at or before the start, and our reader reads the result.
/// </summary>
public sealed class ExportPlanTests : IDisposable
{
    private const long T0 = 1_700_000_000_000;
    private readonly TempFolder _dir = new("mp4-unit");

    public void Dispose() => _dir.Dispose();

    /// <summary>Three 10 s segments of 30 fps video (keyframe every 2 s) and AAC, meeting without a gap.</summary>
    private List<Mp4ExportSource> Segments()
    {
        var sources = new List<Mp4ExportSource>();
        for (var s = 0; s < 3; s++)
        {
            var path = _dir.File($"s{s}.mp4");
            using var file = File.Create(path);
            using var muxer = new Fmp4Muxer([TestVectors.H264, TestVectors.Aac], new Fmp4MuxerOptions
            {
                StartDts = new Dictionary<int, long> { [0] = 1000 + (s * 900_000L), [1] = 500 + (s * 480_000L) },
            });
            file.Write(muxer.InitSegment.Span);
            var policy = new Fmp4FragmentPolicy();
            for (var i = 0; i < 300; i++)
            {
                var n = (s * 300) + i;
                muxer.AddFrame(MuxerTests.Video(TestVectors.H264, n, n % 60 == 0, size: 20 + (n % 7)));
                for (var a = (int)((long)n * 48000 / 30 / 1024); a < (int)((long)(n + 1) * 48000 / 30 / 1024); a++)
                {
                    muxer.AddFrame(MuxerTests.Audio(TestVectors.Aac, a));
                }

                if (policy.ShouldFlush(muxer))
                {
                    muxer.FlushFragment(file);
                }
            }

            // The frame that would start the next segment ends this one, as the recorder cuts.
            muxer.AddFrame(MuxerTests.Video(TestVectors.H264, (s + 1) * 300, true));
            muxer.FlushFragment(file);
            sources.Add(new Mp4ExportSource(path, T0 + (s * 10_000L)));
        }

        return sources;
    }

    [Theory]
    [InlineData(3_000, 5_000, 2_000)] // inside one segment: back to the keyframe at 2 s
    [InlineData(9_000, 21_000, 8_000)] // across two boundaries
    [InlineData(0, 30_000, 0)] // everything
    [InlineData(-5_000, 1_000, 0)] // before the first sample: starts at the first keyframe
    public void Cut_starts_at_the_keyframe_at_or_before_start(long start, long end, long expectedStart)
    {
        var sources = Segments();
        var plan = Mp4RangeExporter.Plan(sources, T0 + start, T0 + end);
        Assert.Equal(T0 + expectedStart, plan.StartMs);
        Assert.InRange(plan.EndMs, T0 + end - 34, T0 + end + 34);
        Assert.False(plan.StoppedAtParameterChange);

        var bytes = Write(plan, 0, plan.Length);
        Assert.Equal(plan.Length, bytes.Length);
        using var ms = new MemoryStream(bytes);
        var index = Fmp4Reader.Read(ms);
        Assert.Null(index.Problem);
        var video = index.Tracks[0].Samples;
        Assert.Equal(plan.SampleCounts[0], video.Count);
        Assert.True(video[0].IsSync);
        Assert.Equal(0, video[0].Dts);
        for (var i = 1; i < video.Count; i++)
        {
            Assert.Equal(video[i - 1].Dts + video[i - 1].Duration, video[i].Dts); // no gap at segment boundaries
        }

        Assert.InRange(index.Tracks[1].Samples[0].Dts, 0, 1024);
    }

    [Fact]
    public void Every_byte_range_matches_the_whole()
    {
        var plan = Mp4RangeExporter.Plan(Segments(), T0 + 7_000, T0 + 23_000);
        var whole = Write(plan, 0, plan.Length);
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var offset = random.NextInt64(0, plan.Length);
            var count = random.NextInt64(0, Math.Min(plan.Length - offset, 5000) + 1);
            Assert.True(Write(plan, offset, count).AsSpan().SequenceEqual(whole.AsSpan((int)offset, (int)count)));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => Write(plan, plan.Length - 1, 2));
    }

    [Fact]
    public void Segments_with_a_gap_between_them_keep_the_gap_and_every_sample()
    {
        // As across a recorder node's fail-over: the first and the last segment, the 10 s between them not recorded.
        var all = Segments();
        var plan = Mp4RangeExporter.Plan([all[0], all[2]], T0, T0 + 30_000);
        Assert.Equal(600, plan.SampleCounts[0]);
        Assert.Equal(T0, plan.StartMs);
        Assert.InRange(plan.EndMs, T0 + 30_000 - 34, T0 + 30_000 + 34);

        using var ms = new MemoryStream(Write(plan, 0, plan.Length));
        var index = Fmp4Reader.Read(ms);
        Assert.Null(index.Problem);
        var video = index.Tracks[0].Samples;
        Assert.Equal(600, video.Count);
        Assert.True(video[300].IsSync);
        // The second part starts at its own time (20 s after the first), not glued to the end of the first.
        Assert.InRange(video[300].Dts, (20 * 90_000) - 180, (20 * 90_000) + 180);
        Assert.Equal(10 * 90_000, video[299].Dts + video[299].Duration); // the first part's timeline is whole
    }

    [Fact]
    public void Range_after_the_recordings_is_empty()
    {
        var plan = Mp4RangeExporter.Plan(Segments(), T0 + 40_000, T0 + 50_000);
        Assert.True(plan.IsEmpty);
        Assert.Equal(plan.Parts[0].Length, plan.Length); // just an init segment
    }

    private static byte[] Write(Mp4ExportPlan plan, long offset, long count)
    {
        using var ms = new MemoryStream();
        plan.WriteRangeAsync(ms, offset, count).GetAwaiter().GetResult();
        return ms.ToArray();
    }
}
