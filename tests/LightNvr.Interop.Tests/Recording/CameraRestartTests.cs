using LightNvr.Data;
using LightNvr.Interop.Tests.Mp4;
using LightNvr.Interop.Tests.Support;
using LightNvr.Recording;

namespace LightNvr.Interop.Tests.Recording;

/// <summary>Camera gone, camera back: the open segment is closed cleanly and recording resumes within seconds.</summary>
[Collection("recording")]
public sealed class CameraRestartTests
{
    /// <summary>
    /// "Within a few seconds" (issue 3). After ~3 s down the supervisor has failed 3–4 times, so its next wait is 2 or
    /// 4 s (backoff 1, 1, 1, 2, 4 s), plus connect and the next keyframe (1 s GOP) on a box shared by other suites.
    /// </summary>
    private static readonly TimeSpan MaxResume = TimeSpan.FromSeconds(12);

    [Fact]
    public async Task Recording_resumes_after_the_camera_restarts()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Video = "h264", Audio = "aac", Gop = 15 });
        await using var h = await RecordingHarness.StartAsync(new StreamConfig
        {
            Name = "restart", Url = camera.Url, Record = true, SegmentDuration = 4,
        });
        await h.WaitForCompleteAsync("restart", 1, TimeSpan.FromSeconds(20));

        camera.Stop();
        // Longer than StreamRecorder.MaxFrameGap: the open segment is closed during the outage, and the recorder
        // must keep going afterwards.
        await Task.Delay(StreamRecorder.MaxFrameGap + TimeSpan.FromSeconds(1));
        var before = (await h.RowsAsync("restart")).Count;
        Assert.NotEqual("Running", h.Cameras.GetStatus("restart").State);

        camera.Restart();
        var restarted = Environment.TickCount64;
        while ((await h.RowsAsync("restart")).Count <= before)
        {
            Assert.True(Environment.TickCount64 - restarted < MaxResume.TotalMilliseconds,
                "no new segment after the camera came back; status " + h.Cameras.GetStatus("restart"));
            await Task.Delay(200);
        }

        Assert.Equal("Running", h.Cameras.GetStatus("restart").State);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await h.StopAsync();
        var rows = await h.RowsAsync("restart");
        Assert.All(rows, r =>
        {
            Assert.True(r.IsComplete && r.EndTime is not null, r.FilePath);
            Assert.Equal("", Ffmpeg.DecodeErrors(r.FilePath));
        });
    }
}
