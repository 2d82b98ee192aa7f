using System.Net;
using System.Text.Json;
using LightNvr.Data;
using LightNvr.Testing.Onvif;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Api.Onvif;

/// <summary>
/// The ONVIF routes on the whole server against <see cref="OnvifStandIn"/>, a STAND-IN camera (no ONVIF emulator is
/// packaged anywhere reachable). Discovery is a unicast probe on loopback (multicast: MulticastDiscoveryTests). The
/// server's clock is the tests' fake one (2026-01-01), the stand-in's the real one: every call authenticates only
/// because the client uses the camera's clock offset.
/// </summary>
public sealed class OnvifApiTests
{
    [Fact]
    public async Task Discover_then_profiles_then_add_creates_the_stream_with_main_and_sub_stream()
    {
        await using var camera = new OnvifStandIn(mainUri: "rtsp://127.0.0.1:1/main", subUri: "rtsp://127.0.0.1:1/sub");
        await using var host = await TestServerHost.StartAsync(full: true);
        using var admin = await host.SessionClientAsync();

        using var discover = await admin.PostAsync("/api/onvif/discovery/discover",
            TestServerHost.Json($$"""{"network":"auto","addresses":["127.0.0.1:{{camera.DiscoveryPort}}"]}"""));
        Assert.Equal(HttpStatusCode.OK, discover.StatusCode);
        var device = Assert.Single(JsonDocument.Parse(await discover.Content.ReadAsStringAsync()).RootElement.GetProperty("devices").EnumerateArray());
        Assert.Equal(camera.DeviceUrl.AbsoluteUri, device.GetProperty("device_service").GetString());
        Assert.Equal("StandIn", device.GetProperty("name").GetString());
        var cached = JsonDocument.Parse(await admin.GetStringAsync("/api/onvif/devices")).RootElement.GetProperty("devices");
        Assert.Equal(1, cached.GetArrayLength());

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/onvif/device/profiles");
        request.Headers.Add("X-Device-URL", camera.DeviceUrl.AbsoluteUri);
        request.Headers.Add("X-Username", "admin");
        request.Headers.Add("X-Password", "secret");
        using var profilesReply = await admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, profilesReply.StatusCode);
        var profiles = JsonDocument.Parse(await profilesReply.Content.ReadAsStringAsync()).RootElement.GetProperty("profiles");
        Assert.Equal(2, profiles.GetArrayLength());
        Assert.Equal("""{"token":"main","name":"MainStream","video_source_token":"vs0","snapshot_uri":"http://127.0.0.1:""" + camera.Port +
            """/onvif/snapshot.jpg","stream_uri":"rtsp://127.0.0.1:1/main","width":1920,"height":1080,"encoding":"H264","fps":25,"bitrate":4096}""",
            profiles[0].GetRawText());

        using var add = await admin.PostAsync("/api/onvif/device/add", TestServerHost.Json(
            $$"""{"device_url":"{{camera.DeviceUrl}}","profile_token":"main","stream_name":"frontdoor","username":"admin","password":"p@ss:word"}"""));
        Assert.Equal(HttpStatusCode.BadGateway, add.StatusCode); // the stand-in's password is "secret"
        Assert.Contains("wrong password", await add.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        camera.Password = "p@ss:word";
        using var added = await admin.PostAsync("/api/onvif/device/add", TestServerHost.Json(
            $$"""{"device_url":"{{camera.DeviceUrl}}","profile_token":"main","stream_name":"frontdoor","username":"admin","password":"p@ss:word"}"""));
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal("""{"success":true,"message":"ONVIF device added as stream successfully","stream_name":"frontdoor"}""", await added.Content.ReadAsStringAsync());

        var stream = await host.Service<StreamStore>().GetAsync("frontdoor");
        Assert.NotNull(stream);
        Assert.Equal("rtsp://admin:p%40ss%3Aword@127.0.0.1:1/main", stream.Url);
        Assert.Equal("rtsp://admin:p%40ss%3Aword@127.0.0.1:1/sub", stream.SubStreamUrl);
        Assert.Equal((true, "admin", "p@ss:word", "main", camera.Port, 1920, 1080, 25, "h264"),
            (stream.IsOnvif, stream.OnvifUsername, stream.OnvifPassword, stream.OnvifProfile, stream.OnvifPort, stream.Width, stream.Height, stream.Fps, stream.Codec));

        using var again = await admin.PostAsync("/api/onvif/device/add", TestServerHost.Json(
            $$"""{"device_url":"{{camera.DeviceUrl}}","profile_token":"nope","stream_name":"other","username":"admin","password":"p@ss:word"}"""));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Test_and_bad_input_give_clear_answers()
    {
        await using var camera = new OnvifStandIn();
        await using var host = await TestServerHost.StartAsync(full: true);
        using var admin = await host.SessionClientAsync();

        using var ok = await admin.PostAsync("/api/onvif/device/test",
            TestServerHost.Json($$"""{"url":"{{camera.DeviceUrl}}","username":"admin","password":"secret"}"""));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("\"success\":true", await ok.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var wrong = await admin.PostAsync("/api/onvif/device/test",
            TestServerHost.Json($$"""{"url":"{{camera.DeviceUrl}}","username":"admin","password":"bad"}"""));
        Assert.Equal(HttpStatusCode.BadGateway, wrong.StatusCode);
        var text = await wrong.Content.ReadAsStringAsync();
        Assert.Contains("Failed to connect to ONVIF device: wrong password", text, StringComparison.Ordinal);
        Assert.DoesNotContain("bad", text.Replace("Bad", "", StringComparison.Ordinal), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/onvif/device/profiles")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("/api/onvif/discovery/discover", TestServerHost.Json("""{"network":"10.0.0.0/99"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("/api/onvif/discovery/discover", TestServerHost.Json("""{"addresses":["nope"]}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("/api/onvif/device/test", TestServerHost.Json("""{"url":"ftp://x"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("/api/onvif/device/add", TestServerHost.Json("""{"device_url":"x"}"""))).StatusCode);
        Assert.Equal("""{"enabled":false,"network":"auto","interval":300}""", await admin.GetStringAsync("/api/onvif/discovery/status"));
    }
}
