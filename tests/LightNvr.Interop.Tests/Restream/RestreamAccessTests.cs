using LightNvr.Data;
using LightNvr.Interop.Tests.Support;

namespace LightNvr.Interop.Tests.Restream;

/// <summary>
/// The per-user rules of the web login hold over RTSP too (security probe, issue 11): a user's
/// <c>allowed_login_cidrs</c> (checked against the RTSP client's address, here 127.0.0.1) and its
/// <c>allowed_tags</c> (the stream's tags). ffmpeg is the client; each case is one short read.
/// </summary>
public sealed class RestreamAccessTests
{
    private const string Password = "pass-1234";

    [Fact]
    public async Task Allowed_login_cidrs_and_tags_apply_to_rtsp_reads()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "none" });
        await using var h = await RestreamHarness.StartAsync(
            streams: new StreamConfig { Name = "cam", Url = camera.Url, Tags = "garage" });
        await h.AddUserAsync("remote", Password, Role.Viewer, cidrs: "10.0.0.0/8");
        await h.AddUserAsync("local", Password, Role.Viewer, cidrs: "127.0.0.0/8");
        await h.AddUserAsync("frontdoor", Password, Role.Viewer, tags: "frontdoor");
        await h.AddUserAsync("garage", Password, Role.Viewer, cidrs: "192.168.1.0/24\n127.0.0.1", tags: "garage");

        var (exit, errors) = await MediaTool.FfmpegReadAsync(h.Url("cam", "remote", Password), "tcp", 1);
        Assert.NotEqual(0, exit);
        Assert.Contains("401", errors);

        (exit, errors) = await MediaTool.FfmpegReadAsync(h.Url("cam", "frontdoor", Password), "tcp", 1);
        Assert.NotEqual(0, exit);
        Assert.Contains("403", errors);

        (exit, errors) = await MediaTool.FfmpegReadAsync(h.Url("cam", "local", Password), "tcp", 1);
        Assert.True(exit == 0, $"user allowed from 127.0.0.0/8: exit {exit}: {errors}");
        (exit, errors) = await MediaTool.FfmpegReadAsync(h.Url("cam", "garage", Password), "tcp", 1);
        Assert.True(exit == 0, $"user with the stream's tag: exit {exit}: {errors}");
        Assert.True(h.Server.Statistics.AuthFailures >= 2);
    }
}
