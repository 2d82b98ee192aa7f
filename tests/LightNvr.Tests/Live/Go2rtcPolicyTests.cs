using System.Net;
using LightNvr.Api.Go2rtc;
using LightNvr.Cameras;
using LightNvr.Data;
using LightNvr.Hosting;
using LightNvr.Live;
using LightNvr.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace LightNvr.Tests.Live;

/// <summary>Every /go2rtc/api endpoint is behind auth; watching needs a viewer, ad-hoc sources need an admin.</summary>
public sealed class Go2rtcPolicyTests
{
    [Fact]
    public async Task Anonymous_is_401_viewer_may_watch_but_not_add_sources_admin_may()
    {
        await using var host = await TestServerHost.StartAsync(
            configureServices: s =>
            {
                s.AddSingleton<ShutdownCoordinator>();
                s.AddLightNvrCameras<RtspCameraSourceFactory>();
                s.AddLightNvrLive();
            },
            map: app => app.MapGo2rtcEndpoints());
        await host.CreateUserAsync("watcher", "watcher-password-1", Role.Viewer);
        using var anonymous = host.Client();
        using var viewer = host.BasicClient("watcher", "watcher-password-1");
        using var admin = host.BasicClient(TestServerHost.AdminUser, TestServerHost.AdminPassword);
        const string put = "/go2rtc/api/streams?src=rtsp%3A%2F%2F127.0.0.1%3A9%2Fx&name=adhoc";

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/go2rtc/api/streams")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/go2rtc/api/frame.jpeg?src=x")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/go2rtc/api/streams")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync("/go2rtc/api/stream.mp4?src=nope")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PutAsync(put, null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsync("/go2rtc/api/streams?src=ftp%3A%2F%2Fx", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsync("/go2rtc/api/streams?src=ffmpeg%3Ax%23video%3Dvp9&name=f", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync(put, null)).StatusCode);
        Assert.Contains("\"adhoc\"", await viewer.GetStringAsync("/go2rtc/api/streams"));
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync("/go2rtc/api/streams?src=adhoc")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync("/go2rtc/api/streams?src=adhoc")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/go2rtc/api/streams?src=adhoc")).StatusCode);
    }
}
