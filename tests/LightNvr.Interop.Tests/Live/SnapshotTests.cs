using System.Diagnostics;
using LightNvr.Interop.Tests.Support;
using LightNvr.Testing;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.Live;

/// <summary>frame.jpeg from the cached GOP through ffmpeg: right size, scaled on request, one decode for many callers.</summary>
public sealed class SnapshotTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Frame_jpeg_has_the_camera_size_scales_and_coalesces_concurrent_callers()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "aac" });
        await using var server = await LiveHarness.StartAsync(LiveHarness.Stream("cam", camera));
        await server.WaitRunningAsync("cam", TimeSpan.FromSeconds(20));
        using var client = server.Client();

        var full = await client.GetByteArrayAsync("/go2rtc/api/frame.jpeg?src=cam");
        Assert.Equal((640, 360), await SizeAsync(full));
        var scaled = await client.GetByteArrayAsync("/go2rtc/api/frame.jpeg?src=cam&width=320");
        Assert.Equal((320, 180), await SizeAsync(scaled));

        await Task.Delay(1200); // past the cache
        var clock = Stopwatch.StartNew();
        var many = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.GetByteArrayAsync("/go2rtc/api/frame.jpeg?src=cam&height=180")));
        output.WriteLine($"10 concurrent snapshots in {clock.ElapsedMilliseconds} ms; sizes {string.Join(',', many.Select(m => m.Length))}");
        Assert.All(many, m => Assert.Equal(many[0], m)); // one decode answered them all
    }

    private static async Task<(int, int)> SizeAsync(byte[] jpeg)
    {
        Assert.Equal(0xFF, jpeg[0]);
        Assert.Equal(0xD8, jpeg[1]);
        using var folder = new TempFolder("snap");
        var path = folder.File("snap.jpg");
        await File.WriteAllBytesAsync(path, jpeg);
        var (exit, text, err) = await MediaProbe.RunAsync("ffprobe", TimeSpan.FromSeconds(10), "-v", "error",
            "-show_entries", "stream=width,height", "-of", "csv=p=0", path);
        Assert.True(exit == 0, err);
        var p = text.Trim().Split(',');
        return (int.Parse(p[0]), int.Parse(p[1]));
    }
}
