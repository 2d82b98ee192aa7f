using LightNvr.Media;
using LightNvr.Media.Mp4.Export;
using LightNvr.Media.Mp4.Fragmented;
using LightNvr.Testing;

namespace LightNvr.Interop.Tests.Mp4;

/// <summary>Export of a range across segment files, judged by ffmpeg: clean decode, duration within a GOP.</summary>
public sealed class ExportInteropTests
{
    private const long T0 = 1_700_000_000_000;

    [Theory]
    [InlineData("libx264", false)]
    [InlineData("libx264", true)]
    [InlineData("libx265", true)]
    [InlineData("libx265-open-gop", true)]
    public void Range_across_segment_boundaries_exports_as_one_mp4(string encoder, bool bframes)
    {
        using var dir = new TempFolder("mp4");
        var gop = 15; // 1 s at 15 fps
        // Closed GOPs as cameras send, and x265's default open GOP: then the cut lands on a CRA whose leading (RASL)
        // pictures reference the GOP before the cut; the exporter leaves them out, so every exported frame decodes.
        var x265 = encoder switch
        {
            "libx265" => " -x265-params log-level=error:open-gop=0",
            "libx265-open-gop" => " -x265-params log-level=error:open-gop=1",
            _ => "",
        };
        var source = SourceMedia.Encode(dir, "src.mp4",
            $"-c:v {encoder.Replace("-open-gop", "", StringComparison.Ordinal)} -g {gop} -bf {(bframes ? 2 : 0)} -pix_fmt yuv420p{x265}",
            "aac", seconds: 9);
        var frames = SourceMedia.Frames(source, out var tracks);
        var sources = RecordSegments(dir, tracks, frames, segmentSeconds: 3);
        Assert.Equal(3, sources.Count);

        // 2.5 s .. 7.3 s crosses both boundaries; the cut goes back to the keyframe near 2.0 s.
        var plan = Mp4RangeExporter.Plan(sources, T0 + 2500, T0 + 7300);
        Assert.False(plan.IsEmpty);
        var key = frames.Last(f => f.Track.Kind == MediaKind.Video && f.IsKeyFrame && f.Dts * 1000 / f.Track.ClockRate <= 2500);
        Assert.InRange(plan.StartMs - T0 - (key.Dts * 1000 / key.Track.ClockRate), -1, 1);
        var output = dir.File("export.mp4");
        using (var file = File.Create(output))
        {
            plan.WriteToAsync(file).GetAwaiter().GetResult();
        }

        Assert.Equal(plan.Length, new FileInfo(output).Length);
        Assert.Equal("", Ffmpeg.DecodeErrors(output));
        var probe = Ffmpeg.Probe(output);
        Assert.Equal(plan.SampleCounts[0], probe[0].Frames);
        Assert.Equal(plan.SampleCounts[1], probe[1].Frames);
        var asked = 4.8;
        Assert.InRange(Ffmpeg.FormatDuration(output), asked - 0.1, asked + 1.0 + 0.1);

        // Any byte range equals the same bytes of the whole file (what an HTTP Range answer sends).
        var whole = File.ReadAllBytes(output);
        foreach (var (offset, count) in new[] { (0L, 100L), (5000L, 70000L), (whole.Length - 10L, 10L) })
        {
            using var ms = new MemoryStream();
            plan.WriteRangeAsync(ms, offset, count).GetAwaiter().GetResult();
            Assert.True(ms.ToArray().AsSpan().SequenceEqual(whole.AsSpan((int)offset, (int)count)));
        }

        // Planning again gives the same length (Content-Length computed up front is stable).
        Assert.Equal(plan.Length, Mp4RangeExporter.Plan(sources, T0 + 2500, T0 + 7300).Length);
    }

    [Fact]
    public void Export_stops_before_a_segment_with_other_parameters()
    {
        using var dir = new TempFolder("mp4");
        var a = SourceMedia.Encode(dir, "a.mp4", "-c:v libx264 -g 15 -bf 0 -pix_fmt yuv420p", null, seconds: 2);
        var b = SourceMedia.Encode(dir, "b.mp4", "-c:v libx264 -g 15 -bf 0 -pix_fmt yuv420p -s 160x120", null, seconds: 2);
        var framesA = SourceMedia.Frames(a, out var tracksA);
        var framesB = SourceMedia.Frames(b, out var tracksB);
        MuxerInteropTests.MuxToFile(dir.File("s0.mp4"), tracksA, framesA, new Fmp4FragmentPolicy());
        MuxerInteropTests.MuxToFile(dir.File("s1.mp4"), tracksB, framesB, new Fmp4FragmentPolicy());
        var plan = Mp4RangeExporter.Plan([new(dir.File("s0.mp4"), T0), new(dir.File("s1.mp4"), T0 + 2000)], T0, T0 + 4000);
        Assert.True(plan.StoppedAtParameterChange);
        Assert.Equal(framesA.Count, plan.SampleCounts[0]);
        var output = dir.File("export.mp4");
        using (var file = File.Create(output))
        {
            plan.WriteToAsync(file).GetAwaiter().GetResult();
        }

        Assert.Equal("", Ffmpeg.DecodeErrors(output));
        Assert.Equal(framesA.Count, Ffmpeg.Probe(output)[0].Frames);
    }

    /// <summary>Cuts frames into segments the way the recorder does: at the first keyframe after N seconds, no gap.</summary>
    internal static List<Mp4ExportSource> RecordSegments(TempFolder dir, List<MediaTrack> tracks, List<MediaFrame> frames,
        int segmentSeconds)
    {
        var sources = new List<Mp4ExportSource>();
        var policy = new Fmp4FragmentPolicy();
        Fmp4Muxer? muxer = null;
        FileStream? file = null;
        long segmentStartDts = 0;
        foreach (var frame in frames)
        {
            var video = frame.Track.Kind == MediaKind.Video;
            if (muxer is not null && video && frame.IsKeyFrame
                && frame.Dts - segmentStartDts >= (long)segmentSeconds * frame.Track.ClockRate)
            {
                // Cut: the keyframe completes the previous sample, then the old muxer flushes and hands over
                // the held frames to the next segment, which starts at their DTS.
                muxer.AddFrame(frame);
                muxer.FlushFragment(file!);
                var held = muxer.TakeHeldFrames();
                muxer.Dispose();
                file!.Dispose();
                (muxer, file) = Open(dir, tracks, held, sources, frame, out segmentStartDts);
                continue;
            }

            if (muxer is null)
            {
                (muxer, file) = Open(dir, tracks, [frame], sources, frame, out segmentStartDts);
                continue;
            }

            muxer.AddFrame(frame);
            if (policy.ShouldFlush(muxer))
            {
                muxer.FlushFragment(file!);
            }
        }

        muxer!.FlushFragment(file!, final: true);
        muxer.Dispose();
        file!.Dispose();
        return sources;
    }

    private static (Fmp4Muxer, FileStream) Open(TempFolder dir, List<MediaTrack> tracks, IReadOnlyList<MediaFrame> first,
        List<Mp4ExportSource> sources, MediaFrame key, out long startDts)
    {
        // The segment starts at its earliest frame; every track's decode time 0 is that same instant.
        var startSeconds = first.Min(f => (double)f.Dts / f.Track.ClockRate);
        var video = tracks.First(t => t.Kind == MediaKind.Video);
        startDts = key.Dts;
        var startMs = T0 + (long)Math.Round(startSeconds * 1000);
        var muxer = new Fmp4Muxer(tracks, new Fmp4MuxerOptions
        {
            StartDts = tracks.ToDictionary(t => t.Id, t => (long)Math.Round(startSeconds * t.ClockRate)),
        });
        var path = dir.File($"segment{sources.Count}.mp4");
        sources.Add(new Mp4ExportSource(path, startMs));
        var file = File.Create(path);
        file.Write(muxer.InitSegment.Span);
        foreach (var f in first)
        {
            Assert.Equal(Fmp4AddResult.Added, muxer.AddFrame(f)); // the keyframe comes first, so audio is kept too
        }

        return (muxer, file);
    }
}
