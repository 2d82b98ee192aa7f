using LightNvr.Events;
using LightNvr.Media;

namespace LightNvr.Tests.Events;

/// <summary>The pre-event buffer: starts at a keyframe, keeps the keyframe at or before newest − window, bounded in bytes.</summary>
public sealed class PreEventBufferTests
{
    internal static readonly MediaTrack Video = new() { Id = 0, Codec = MediaCodec.H264, ClockRate = 90000 };
    internal static readonly MediaTrack Audio = new() { Id = 1, Codec = MediaCodec.Aac, ClockRate = 48000 };

    /// <summary>Frames of a camera: <paramref name="fps"/> video with a keyframe every <paramref name="gop"/> frames.</summary>
    internal static IEnumerable<MediaFrame> Camera(int seconds, int fps, int gop, int keyBytes, int frameBytes, long t0Ms = 1_000_000)
    {
        for (var i = 0; i < seconds * fps; i++)
        {
            var key = i % gop == 0;
            yield return new MediaFrame(Video, i * 90000L / fps, 0, key, new byte[key ? keyBytes : frameBytes], t0Ms + (i * 1000L / fps));
        }
    }

    [Fact]
    public void Frames_before_the_first_keyframe_are_not_kept()
    {
        var buffer = new PreEventBuffer(TimeSpan.FromSeconds(5));
        buffer.Add(new MediaFrame(Video, 0, 0, false, new byte[10], 1000));
        buffer.Add(new MediaFrame(Audio, 0, 0, false, new byte[10], 1000));
        Assert.Equal(0, buffer.Count);
        buffer.Add(new MediaFrame(Video, 3600, 0, true, new byte[10], 1040));
        Assert.Equal(1, buffer.Count);
    }

    [Fact]
    public void It_holds_from_the_keyframe_at_or_before_newest_minus_the_window()
    {
        var buffer = new PreEventBuffer(TimeSpan.FromSeconds(5));
        foreach (var frame in Camera(seconds: 30, fps: 25, gop: 50, keyBytes: 1000, frameBytes: 100))
        {
            buffer.Add(frame);
            if (buffer.Span >= TimeSpan.FromSeconds(5))
            {
                // Never less than the window once filled, never a GOP (2 s) more.
                Assert.InRange(buffer.Span.TotalSeconds, 5, 7);
            }
        }
        var frames = buffer.Drain();
        Assert.True(frames[0].IsKeyFrame);
        var newest = frames[^1].WallClockUnixMs;
        Assert.True(frames[0].WallClockUnixMs <= newest - 5000);
        Assert.True(frames.Skip(1).First(f => f.IsKeyFrame).WallClockUnixMs > newest - 5000);
        Assert.Equal(0, buffer.Count);
        Assert.Equal(0, buffer.Bytes);
    }

    [Fact]
    public void A_zero_second_buffer_keeps_the_current_gop_only()
    {
        var buffer = new PreEventBuffer(TimeSpan.Zero);
        foreach (var frame in Camera(seconds: 3, fps: 25, gop: 25, keyBytes: 1000, frameBytes: 100))
        {
            buffer.Add(frame);
        }
        Assert.Equal(25, buffer.Count);
        Assert.Equal(1000 + (24 * 100), buffer.Bytes);
    }

    [Fact]
    public void Bytes_are_bounded_by_dropping_whole_gops_from_the_front()
    {
        var buffer = new PreEventBuffer(TimeSpan.FromSeconds(60));
        var frameBytes = (int)(PreEventBuffer.MaxBytes / 200); // 25 fps of these overflows the bound in 8 s
        foreach (var frame in Camera(seconds: 20, fps: 25, gop: 25, keyBytes: frameBytes, frameBytes: frameBytes))
        {
            buffer.Add(frame);
            Assert.True(buffer.Bytes <= PreEventBuffer.MaxBytes);
        }
        Assert.True(buffer.Overflows > 0);
        Assert.True(buffer.Drain()[0].IsKeyFrame);
    }

    [Fact]
    public void One_gop_larger_than_the_bound_empties_the_buffer_until_the_next_keyframe()
    {
        var buffer = new PreEventBuffer(TimeSpan.FromSeconds(60));
        buffer.Add(new MediaFrame(Video, 0, 0, true, new byte[PreEventBuffer.MaxBytes / 2], 1000));
        buffer.Add(new MediaFrame(Video, 3600, 0, false, new byte[(PreEventBuffer.MaxBytes / 2) + 1], 1040));
        Assert.Equal(0, buffer.Count);
        buffer.Add(new MediaFrame(Video, 7200, 0, false, new byte[10], 1080));
        Assert.Equal(0, buffer.Count);
        buffer.Add(new MediaFrame(Video, 10800, 0, true, new byte[10], 1120));
        Assert.Equal(1, buffer.Count);
    }
}
