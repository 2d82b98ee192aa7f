namespace LightNvr.Interop.Tests.Restream;

/// <summary>
/// [demo] camera = true: the 'demo' stream appears, ffmpeg's test source reaches its hub, a recording segment is
/// opened; with the switch off at the next start the stream row is removed (recordings are kept).
/// </summary>
public sealed class DemoCameraTests
{
    [Fact]
    public async Task Demo_camera_appears_records_and_is_removed_when_off()
    {
        await using var h = await RestreamHarness.StartAsync(demo: true);
        var deadline = Environment.TickCount64 + 10_000;
        while (await h.Streams.GetAsync("demo") is null)
        {
            Assert.True(Environment.TickCount64 < deadline, "demo stream row not created");
            await Task.Delay(100);
        }

        await h.WaitForFramesAsync("demo", 45, TimeSpan.FromSeconds(15));
        Assert.True(h.Cameras.TryGet("demo", out var camera));
        Assert.Contains(camera.Hub.Tracks, t => t.Codec == Media.MediaCodec.H264);
        Assert.Contains(camera.Hub.Tracks, t => t.Codec == Media.MediaCodec.Aac);
        deadline = Environment.TickCount64 + 10_000;
        while (await h.RecordingRowsAsync("demo") == 0)
        {
            Assert.True(Environment.TickCount64 < deadline, "no recording segment for demo");
            await Task.Delay(200);
        }

        await h.StopDemoAsync();
        h.Update(c => c with { Demo = c.Demo with { Camera = false } });
        await h.RunDemoSwitchOnceAsync();
        Assert.Null(await h.Streams.GetAsync("demo"));
        Assert.False(h.Cameras.TryGet("demo", out _));
        Assert.True(await h.RecordingRowsAsync("demo") > 0);
    }
}
