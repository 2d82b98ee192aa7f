using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LightNvr.Auth;
using LightNvr.Cameras;
using LightNvr.Data;
using LightNvr.Detection;
using LightNvr.Interop.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.Live;

/// <summary>
/// Issue 17 item 3 with two real GStreamer cameras (main 640x360, sub 320x180) and the whole server: <c>NAME_sub</c>
/// serves the sub-stream (ffprobe and headless chromium's MSE player see 320x180) while <c>NAME</c> serves the main
/// one; the sub-stream is connected only on demand; the motion detector and the viewers share one sub-stream hub
/// (one connection); a tag-limited viewer gets the same answer for NAME_sub as for NAME.
/// </summary>
public sealed class SubStreamTests(ITestOutputHelper output)
{
    private static string AuthHeader => $"Authorization: Basic {LiveHarness.BasicValue}\r\n";

    [Fact]
    public async Task Grid_tiles_get_the_sub_stream_and_full_screen_the_main_one()
    {
        using var main = GstCamera.Start(new GstCameraOptions { Audio = "none" });
        using var sub = GstCamera.Start(new GstCameraOptions { Audio = "none", Width = 320, Height = 180 });
        await using var server = await LiveHarness.StartServerAsync(new RtspCameraSourceFactory(TimeProvider.System),
            LiveHarness.Stream("cam", main, record: false) with { SubStreamUrl = sub.Url, Tags = "front" });
        await Task.Delay(500);
        Assert.Equal(0, MediaProbe.ConnectionsTo(sub.Port)); // on demand: nobody watches yet

        var (frames, width, height) = await MediaProbe.CountVideoFramesAsync(
            $"{server.BaseAddress}go2rtc/api/stream.mp4?src=cam_sub&duration=2", AuthHeader);
        Assert.Equal((320, 180), (width, height));
        Assert.True(frames >= 10, $"{frames} frames from the sub-stream");
        (_, width, height) = await MediaProbe.CountVideoFramesAsync(
            $"{server.BaseAddress}go2rtc/api/stream.mp4?src=cam&duration=2", AuthHeader);
        Assert.Equal((640, 360), (width, height));

        var result = await BrowserPlaybackTests.PlayAsync(server, "cam_sub", "mse", seconds: 3);
        output.WriteLine(result.ToJsonString());
        Assert.Null((string?)result["error"]);
        Assert.Equal(320, (int)result["width"]!);

        // A tag-limited viewer: NAME_sub is checked as NAME is.
        var (hash, salt) = server.App.Services.GetRequiredService<PasswordHasher>().Hash("gina-password-1");
        await server.App.Services.GetRequiredService<UserStore>().InsertAsync(new UserRecord
        {
            Username = "gina", PasswordHash = hash, Salt = salt, Role = Role.Viewer, AllowedTags = "garage",
        });
        using var gina = server.Client(withAuth: false);
        gina.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("gina:gina-password-1")));
        using var denied = await gina.GetAsync("/go2rtc/api/frame.jpeg?src=cam_sub");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task Detection_and_viewers_share_one_sub_stream_connection()
    {
        using var main = GstCamera.Start(new GstCameraOptions { Audio = "none" });
        using var sub = GstCamera.Start(new GstCameraOptions { Audio = "none", Width = 320, Height = 180 });
        await using var server = await LiveHarness.StartServerAsync(new RtspCameraSourceFactory(TimeProvider.System),
            LiveHarness.Stream("cam", main, record: false) with { SubStreamUrl = sub.Url, DetectionModel = "motion" });
        var detection = server.App.Services.GetRequiredService<DetectionService>();
        var deadline = Environment.TickCount64 + 20_000;
        while (server.Cameras.SubStreams.SingleOrDefault() is not { } hub || hub.Hub.FramesIn < 10)
        {
            Assert.True(Environment.TickCount64 < deadline, "the detector did not open the sub-stream");
            await Task.Delay(100);
        }

        var (_, width, _) = await MediaProbe.CountVideoFramesAsync(
            $"{server.BaseAddress}go2rtc/api/stream.mp4?src=cam_sub&duration=1", AuthHeader);
        Assert.Equal(320, width);
        var shared = Assert.Single(server.Cameras.SubStreams);
        Assert.Equal("cam_sub", shared.Name);
        Assert.Contains(shared.Hub.SubscriptionStats, s => s.Name == "detection");
        Assert.Equal(1, MediaProbe.ConnectionsTo(sub.Port)); // one RTSP connection for detection and the viewer
        Assert.NotNull(detection);
    }
}
