using LightNvr.Data;

namespace LightNvr.Interop.Tests.Restream;

/// <summary>
/// ffmpeg publishes (ANNOUNCE, SETUP mode=record over TCP, RECORD) into a publish-mode stream (url = its own path on
/// our server); the hub receives frames, the recorder opens a segment, and a second ffmpeg reads the stream back.
/// </summary>
public sealed class RestreamPublishTests
{
    [Fact]
    public async Task Published_stream_is_recorded_and_read_back()
    {
        await using var h = await RestreamHarness.StartAsync();
        await h.AddStreamAsync(new StreamConfig { Name = "pub", Url = h.PublishUrl("pub"), Record = true, SegmentDuration = 60 });
        var publish = MediaTool.FfmpegPublishAsync(h.Url("pub", RestreamHarness.Admin, RestreamHarness.AdminPassword), 12);
        await h.WaitForFramesAsync("pub", 30, TimeSpan.FromSeconds(10));
        var (exit, errors) = await MediaTool.FfmpegReadAsync(h.Url("pub", RestreamHarness.Admin, RestreamHarness.AdminPassword), "tcp");
        Assert.True(exit == 0, $"reader exit {exit}: {errors}");
        Assert.True(await h.RecordingRowsAsync("pub") > 0, "no recording row for the published stream");
        var (publishExit, publishErrors) = await publish;
        Assert.True(publishExit == 0, $"publisher exit {publishExit}: {publishErrors}");
        Assert.Equal(1, h.Server.Statistics.Publishes);
    }

    [Fact]
    public async Task Viewers_and_camera_streams_cannot_be_published()
    {
        await using var h = await RestreamHarness.StartAsync();
        await h.AddStreamAsync(new StreamConfig { Name = "pub", Url = h.PublishUrl("pub"), Record = false });
        await h.AddStreamAsync(new StreamConfig { Name = "cam", Url = "rtsp://127.0.0.1:1/cam", Record = false });
        var (exit, errors) = await MediaTool.FfmpegPublishAsync(h.Url("pub", RestreamHarness.Viewer, RestreamHarness.ViewerPassword), 1);
        Assert.NotEqual(0, exit);
        Assert.Contains("403", errors);
        (exit, errors) = await MediaTool.FfmpegPublishAsync(h.Url("cam", RestreamHarness.Admin, RestreamHarness.AdminPassword), 1);
        Assert.NotEqual(0, exit);
        Assert.Contains("403", errors);
        (exit, errors) = await MediaTool.FfmpegPublishAsync(h.Url("pub"), 1);
        Assert.NotEqual(0, exit);
        Assert.Contains("401", errors);
        _ = Role.Viewer;
    }
}
