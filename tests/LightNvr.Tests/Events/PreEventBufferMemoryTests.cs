using LightNvr.Events;
using Xunit.Abstractions;

namespace LightNvr.Tests.Events;

/// <summary>
/// The memory figure: a 10 s pre-event buffer of a 2 Mbit/s camera (target ≤ 3 MB), measured as the managed
/// heap the buffer keeps alive (frames, their payload arrays, the queues) after a full GC. Frames are exact-size arrays,
/// as <c>VideoDepacketizer</c> makes them. The figure goes to docs/BENCHMARKS.md.
/// </summary>
[Collection(MemoryMeasurementCollection.Name)]
public sealed class PreEventBufferMemoryTests(ITestOutputHelper output)
{
    /// <summary>25 fps at 2 Mbit/s with a keyframe 8 × a P frame: bytes per P frame so a GOP averages 2 Mbit/s.</summary>
    private static (int Key, int Frame) Sizes(int gop)
    {
        var perGop = 2_000_000 / 8 * gop / 25;
        var frame = perGop / (gop - 1 + 8);
        return (frame * 8, frame);
    }

    [Theory]
    [InlineData(25, 3_000_000)] // 1 s GOP
    [InlineData(50, 3_300_000)] // 2 s GOP: up to 12 s held
    public void Ten_seconds_of_a_2_mbit_camera(int gop, long maxBytes)
    {
        var (key, frame) = Sizes(gop);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var buffer = new PreEventBuffer(TimeSpan.FromSeconds(10));
        foreach (var f in PreEventBufferTests.Camera(seconds: 60, fps: 25, gop: gop, keyBytes: key, frameBytes: frame))
        {
            buffer.Add(f);
        }
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var held = after - before;
        output.WriteLine($"pre-event buffer 10 s, 2 Mbit/s, 25 fps, GOP {gop / 25.0:0.#} s: {buffer.Count} frames, " +
            $"{buffer.Span.TotalSeconds:0.00} s, payload {buffer.Bytes:N0} B, managed heap held {held:N0} B");
        GC.KeepAlive(buffer);
        Assert.InRange(buffer.Span.TotalSeconds, 10, 10 + (gop / 25.0));
        Assert.True(held <= maxBytes, $"{held:N0} B held");
    }
}
