using System.Net;
using System.Text.Json;
using LightNvr.Data;
using LightNvr.Onvif;
using LightNvr.Testing.Onvif;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Onvif;

/// <summary>
/// Media2 (ONVIF Media2 Service, <c>ver20/media/wsdl</c>) where a camera offers it, Media 1 otherwise, against
/// <see cref="OnvifStandIn"/>, a STAND-IN camera written from the specs (no ONVIF emulator is packaged anywhere
/// reachable). With Media2 on, the stand-in's main profile is H.265, which only Media2 can describe.
/// </summary>
public sealed class Media2Tests
{
    private static Task<OnvifDevice> ConnectAsync(OnvifStandIn camera) =>
        OnvifDevice.ConnectAsync(new OnvifSoapClient(new HttpClient(), TimeProvider.System), TimeProvider.System, camera.DeviceUrl,
            new OnvifCredentials("admin", "secret"), CancellationToken.None);

    [Fact]
    public async Task A_camera_offering_Media2_gives_its_profiles_and_uris_through_Media2_with_the_H265_encoder()
    {
        await using var camera = new OnvifStandIn(mainUri: "rtsp://127.0.0.1:8554/h265-main", subUri: "rtsp://127.0.0.1:8554/sub") { Media2 = true };
        var device = await ConnectAsync(camera);
        Assert.EndsWith("/onvif/media2", device.Capabilities.Media2!.AbsoluteUri, StringComparison.Ordinal);

        var profiles = await device.GetProfilesAsync(CancellationToken.None);

        Assert.Equal(2, profiles.Count);
        Assert.Equal(("main", "H265", 1920, 1080, 25, 4096, "vs0", "ptz0", "rtsp://127.0.0.1:8554/h265-main"),
            (profiles[0].Token, profiles[0].Encoding, profiles[0].Width, profiles[0].Height, profiles[0].Fps, profiles[0].BitrateKbps,
                profiles[0].VideoSourceToken, profiles[0].PtzConfigurationToken, profiles[0].StreamUri));
        Assert.Equal(("sub", "H264", 640, 360, "rtsp://127.0.0.1:8554/sub"),
            (profiles[1].Token, profiles[1].Encoding, profiles[1].Width, profiles[1].Height, profiles[1].StreamUri));
        Assert.EndsWith("/onvif/snapshot.jpg", profiles[0].SnapshotUri, StringComparison.Ordinal);
        Assert.Equal(["GetProfiles", "GetStreamUri", "GetSnapshotUri", "GetStreamUri", "GetSnapshotUri"], camera.Media2Operations);
        Assert.Equal("RTSP", camera.LastMedia2Protocol);
        Assert.Equal(0, camera.Count("GetCapabilities")); // GetServices named the services
    }

    [Fact]
    public async Task Without_Media2_the_profiles_come_from_Media1()
    {
        await using var camera = new OnvifStandIn();
        var device = await ConnectAsync(camera);
        Assert.Null(device.Capabilities.Media2);

        var profiles = await device.GetProfilesAsync(CancellationToken.None);

        Assert.Equal(("main", "H264"), (profiles[0].Token, profiles[0].Encoding));
        Assert.Empty(camera.Media2Operations);
    }

    [Fact]
    public async Task A_camera_without_GetServices_is_read_through_GetCapabilities()
    {
        await using var camera = new OnvifStandIn { Media2 = true, GetServicesSupported = false };
        var device = await ConnectAsync(camera);

        Assert.Equal(1, camera.Count("GetServices"));
        Assert.Equal(1, camera.Count("GetCapabilities"));
        Assert.Null(device.Capabilities.Media2); // GetCapabilities has no Media2 member
        var profiles = await device.GetProfilesAsync(CancellationToken.None);
        Assert.Equal(2, profiles.Count);
        Assert.Null(profiles[0].Encoding); // Media 1 cannot describe the H.265 encoder
        Assert.Empty(camera.Media2Operations);
    }

    [Fact]
    public async Task Adding_a_Media2_camera_through_the_API_stores_the_H265_codec_and_both_uris()
    {
        await using var camera = new OnvifStandIn(mainUri: "rtsp://127.0.0.1:1/main", subUri: "rtsp://127.0.0.1:1/sub") { Media2 = true };
        await using var host = await TestServerHost.StartAsync(full: true);
        using var admin = await host.SessionClientAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/onvif/device/profiles");
        request.Headers.Add("X-Device-URL", camera.DeviceUrl.AbsoluteUri);
        request.Headers.Add("X-Username", "admin");
        request.Headers.Add("X-Password", "secret");
        using var reply = await admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        var main = JsonDocument.Parse(await reply.Content.ReadAsStringAsync()).RootElement.GetProperty("profiles")[0];
        Assert.Equal(("H265", "rtsp://127.0.0.1:1/main"), (main.GetProperty("encoding").GetString(), main.GetProperty("stream_uri").GetString()));

        using var added = await admin.PostAsync("/api/onvif/device/add", TestServerHost.Json(
            $$"""{"device_url":"{{camera.DeviceUrl}}","profile_token":"main","stream_name":"h265cam","username":"admin","password":"secret"}"""));
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var stream = await host.Service<StreamStore>().GetAsync("h265cam");
        Assert.NotNull(stream);
        Assert.Equal(("h265", 1920, 1080, "rtsp://admin:secret@127.0.0.1:1/main", "rtsp://admin:secret@127.0.0.1:1/sub"),
            (stream.Codec, stream.Width, stream.Height, stream.Url, stream.SubStreamUrl));
    }
}
