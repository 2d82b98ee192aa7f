using LightNvr.Media.Rtp;
using LightNvr.Testing;

namespace LightNvr.Media.Tests.Rtp;

/// <summary>Real GStreamer camera sessions (TestData/codecs/README.md) through the factory-made depacketizers.</summary>
public sealed class CaptureDepacketizerTests
{
    private static List<MediaFrame> Run(string capture, int media, out RtpDepacketizer depacketizer)
    {
        var session = RtpCapture.Load(capture);
        var frames = new List<MediaFrame>();
        depacketizer = RtpDepacketizer.Create(session.Format(media), media, new TestClock(), frames.Add, out var reason)
            ?? throw new InvalidOperationException(reason);
        foreach (var packet in session.Rtp(media))
        {
            depacketizer.Push(packet);
        }

        return frames;
    }

    [Fact]
    public void H264_with_b_frames_gives_monotonic_dts_and_non_negative_offsets()
    {
        var frames = Run("gst_h264_bframes_aac", 0, out var d);
        Assert.True(frames.Count >= 50, $"{frames.Count} frames");
        Assert.Equal(0, d.Counters.Malformed);
        Assert.Equal(0, d.Counters.Lost);
        Assert.True(d.Track.IsReady);
        Assert.Equal((320, 240), (d.Track.Width, d.Track.Height));
        Assert.Contains(frames, f => f.IsKeyFrame);
        Assert.Contains(frames, f => f.CompositionOffset > 0);
        for (var i = 1; i < frames.Count; i++)
        {
            Assert.True(frames[i].Dts > frames[i - 1].Dts, $"frame {i}: {frames[i].Dts} after {frames[i - 1].Dts}");
            Assert.True(frames[i].CompositionOffset >= 0);
        }

        AssertAvcc(frames);

        // A 25 fps capture without loss: the ideal decode clock is one frame (3600 ticks) per picture, and the
        // offsets are x264's b-pyramid pattern ffprobe shows for the same camera (P: 14400, B: 3600, first I: 7200).
        for (var i = 0; i < frames.Count; i++)
        {
            Assert.Equal(i * 3600L, frames[i].Dts);
        }

        Assert.Equal([7200, 14400, 3600, 3600, 14400, 3600, 3600], frames.Take(7).Select(f => f.CompositionOffset));
    }

    [Fact]
    public void H264_baseline_has_dts_equal_to_pts()
    {
        var frames = Run("gst_h264_baseline_pcma", 0, out var d);
        Assert.True(frames.Count >= 40, $"{frames.Count} frames");
        Assert.Equal(0, d.Counters.Malformed);
        Assert.All(frames, f => Assert.Equal(0, f.CompositionOffset));
        Assert.Equal(0, frames[0].Dts);
        AssertAvcc(frames);
    }

    [Fact]
    public void Aac_frames_are_spaced_1024_samples()
    {
        var frames = Run("gst_h264_bframes_aac", 1, out var d);
        Assert.True(frames.Count >= 30, $"{frames.Count} frames");
        Assert.Equal(0, d.Counters.Malformed);
        Assert.True(d.Track.IsReady);
        Assert.Equal((16000, 1), (d.Track.SampleRate, d.Track.Channels));
        for (var i = 1; i < frames.Count; i++)
        {
            Assert.Equal(1024, frames[i].Dts - frames[i - 1].Dts);
        }
    }

    [Theory]
    [InlineData("gst_h265_pcmu", MediaCodec.Pcmu)]
    [InlineData("gst_h264_baseline_pcma", MediaCodec.Pcma)]
    public void G711_one_frame_per_packet(string capture, MediaCodec codec)
    {
        var frames = Run(capture, 1, out var d);
        Assert.Equal(codec, d.Track.Codec);
        Assert.Equal(d.Counters.Packets, frames.Count);
        Assert.True(frames.Count > 10);
        Assert.True(d.Track.IsReady);
    }

    [Fact]
    public void H265_frames_start_with_an_irap_and_track_is_ready()
    {
        var frames = Run("gst_h265_pcmu", 0, out var d);
        Assert.True(frames.Count >= 50, $"{frames.Count} frames");
        Assert.Equal(0, d.Counters.Malformed);
        Assert.True(d.Track.IsReady);
        Assert.Equal((320, 240), (d.Track.Width, d.Track.Height));
        Assert.True(frames[0].IsKeyFrame);
        AssertAvcc(frames);
    }

    /// <summary>Every frame is a chain of 4-byte big-endian lengths that ends exactly at the end of the data.</summary>
    private static void AssertAvcc(List<MediaFrame> frames)
    {
        foreach (var frame in frames)
        {
            var data = frame.Data.Span;
            while (data.Length > 0)
            {
                Assert.True(data.Length >= 4);
                var n = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(data);
                Assert.InRange(n, 1, data.Length - 4);
                data = data[(4 + n)..];
            }
        }
    }

    [Fact]
    public void H265_with_b_frames_matches_ffprobe_offsets()
    {
        // ffmpeg_h265_bframes: libx265 bframes=2 sent by ffmpeg's RTP muxer. The offsets are ffprobe's
        // (pts − dts) / frame for the source file, `ffprobe -show_packets -show_entries packet=pts,dts h265b.mp4`.
        int[] ffprobe = [2, 3, 1, 4, 2, 0, 3, 1, 4, 2, 0, 4, 2, 0, 4, 2, 0, 4, 2, 0, 4, 2, 0, 4, 2, 0, 4, 2, 0, 4, 2, 0,
            4, 2, 0, 4, 2, 0, 4, 2, 0, 4, 2, 0, 4, 2, 0, 4, 2, 0];
        var frames = Run("ffmpeg_h265_bframes", 0, out var d);
        Assert.Equal(0, d.Counters.Lost);
        Assert.Equal(0, d.Counters.DtsCorrections);
        Assert.Equal(2, d.Track.Sps is { } sps && LightNvr.Media.Codecs.H265.H265SequenceParameterSet.TryParse(sps, out var p) ? p.MaxNumReorderPics : -1);
        // The last access unit has no marker-closing successor only if the capture cut it; compare what arrived.
        Assert.InRange(frames.Count, ffprobe.Length - 1, ffprobe.Length);
        Assert.Equal(ffprobe.Take(frames.Count).Select(o => o * 3600), frames.Select(f => f.CompositionOffset));
        for (var i = 0; i < frames.Count; i++)
        {
            Assert.Equal(i * 3600L, frames[i].Dts);
        }

        Assert.True(frames[0].IsKeyFrame);
        Assert.Equal(2, frames.Count(f => f.IsKeyFrame));
    }
}
