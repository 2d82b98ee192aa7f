using System.Net;
using System.Text.Json;
using LightNvr.Data;
using LightNvr.Testing.Onvif;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Api.Onvif;

/// <summary>
/// Imaging and day/night on the whole server against <see cref="OnvifStandIn"/>, a STAND-IN camera (no ONVIF emulator
/// is packaged anywhere reachable) that keeps its imaging settings and refuses values outside its options: the tests
/// read the stand-in's state after each write.
/// </summary>
public sealed class ImagingApiTests
{
    private static async Task<TestServerHost> HostWithCameraAsync(OnvifStandIn camera)
    {
        var host = await TestServerHost.StartAsync(full: true);
        await host.Service<StreamStore>().InsertAsync(new StreamConfig
        {
            Name = "yard", Url = "rtsp://127.0.0.1:1/main", Enabled = false, IsOnvif = true, OnvifPort = camera.Port,
            OnvifUsername = "admin", OnvifPassword = "secret", OnvifProfile = "main",
        });
        return host;
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = TestServerHost.Json(json);
        }
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Error(string body) => JsonDocument.Parse(body).RootElement.GetProperty("error").GetString()!;

    [Fact]
    public async Task Settings_and_options_read_and_write_the_camera()
    {
        await using var camera = new OnvifStandIn();
        await using var host = await HostWithCameraAsync(camera);
        using var admin = await host.SessionClientAsync();

        var (status, body) = await SendAsync(admin, HttpMethod.Get, "/api/streams/yard/imaging/settings");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"success":true,"settings":{"video_source_token":"vs0","brightness":50,"color_saturation":50,"contrast":50,"sharpness":50,"ir_cut_filter":"Auto","backlight_compensation":{"mode":"OFF"},"wide_dynamic_range":{"mode":"OFF"},"noise_reduction":0.5,"tone_compensation":{"mode":"OFF","level":0.5},"defogging":{"mode":"OFF","level":0.5}}}""", body);

        (status, body) = await SendAsync(admin, HttpMethod.Get, "/api/streams/yard/imaging/options");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"success":true,"options":{"video_source_token":"vs0","brightness":{"min":0,"max":100},"color_saturation":{"min":0,"max":100},"contrast":{"min":0,"max":100},"sharpness":{"min":0,"max":100},"backlight_compensation":{"modes":["OFF","ON"]},"wide_dynamic_range":{"modes":["OFF","ON"]},"ir_cut_filter_modes":["ON","OFF","AUTO"],"noise_reduction":{"min":0,"max":1},"tone_compensation":{"modes":["OFF","ON","AUTO"],"level":{"min":0,"max":1}},"defogging":{"modes":["OFF","ON","AUTO"],"level":{"min":0,"max":1}}}}""", body);

        (status, body) = await SendAsync(admin, HttpMethod.Put, "/api/streams/yard/imaging/settings",
            """{"brightness":70,"saturation":30,"contrast":55.5,"ircut":"off","wdr":{"mode":"on"}}""");
        Assert.Equal((HttpStatusCode.OK, """{"success":true,"message":"ONVIF imaging settings updated"}"""), (status, body));
        Assert.Equal((70d, 30d, 55.5d, 50d, "OFF"),
            (camera.Imaging("Brightness"), camera.Imaging("ColorSaturation"), camera.Imaging("Contrast"), camera.Imaging("Sharpness"), camera.IrCutFilter));
        (_, body) = await SendAsync(admin, HttpMethod.Get, "/api/streams/yard/imaging/settings");
        Assert.Contains("\"wide_dynamic_range\":{\"mode\":\"ON\"}", body, StringComparison.Ordinal);

        // Outside the camera's range: 400 naming the range, and the camera is not asked to set anything.
        var sets = camera.Count("SetImagingSettings");
        (status, body) = await SendAsync(admin, HttpMethod.Put, "/api/streams/yard/imaging/settings", """{"brightness":101}""");
        Assert.Equal((HttpStatusCode.BadRequest, "brightness must be between 0 and 100 (the camera's range)"), (status, Error(body)));
        (status, body) = await SendAsync(admin, HttpMethod.Put, "/api/streams/yard/imaging/settings", """{"backlight":{"mode":"SUPER"}}""");
        Assert.Equal((HttpStatusCode.BadRequest, "backlight_compensation mode must be one of OFF, ON (the camera's modes)"), (status, Error(body)));
        (status, body) = await SendAsync(admin, HttpMethod.Put, "/api/streams/yard/imaging/settings", """{"backlight":20}""");
        Assert.Equal((HttpStatusCode.BadRequest, "backlight_compensation level is not adjustable on this camera"), (status, Error(body)));
        (status, body) = await SendAsync(admin, HttpMethod.Put, "/api/streams/yard/imaging/settings", """{"ir_cut_filter":"sometimes"}""");
        Assert.Equal((HttpStatusCode.BadRequest, "ir_cut_filter must be On, Off, or Auto"), (status, Error(body)));
        (status, body) = await SendAsync(admin, HttpMethod.Put, "/api/streams/yard/imaging/settings", """{"force_persistence":false}""");
        Assert.Equal((HttpStatusCode.BadRequest, "No imaging settings provided"), (status, Error(body)));
        (status, body) = await SendAsync(admin, HttpMethod.Put, "/api/streams/yard/imaging/settings", """{"contrast":"high"}""");
        Assert.Equal((HttpStatusCode.BadRequest, "Field 'contrast' must be a number"), (status, Error(body)));
        Assert.Equal(sets, camera.Count("SetImagingSettings"));
        Assert.Equal(70d, camera.Imaging("Brightness"));
    }

    [Fact]
    public async Task Noise_reduction_tone_compensation_and_defogging_reach_the_camera_within_its_options()
    {
        await using var camera = new OnvifStandIn();
        await using var host = await HostWithCameraAsync(camera);
        using var admin = await host.SessionClientAsync();

        var (status, body) = await SendAsync(admin, HttpMethod.Put, "/api/streams/yard/imaging/settings",
            """{"noise_reduction":0.8,"tone_compensation":{"mode":"AUTO","level":0.25},"defog":0.6}""");
        Assert.Equal((HttpStatusCode.OK, """{"success":true,"message":"ONVIF imaging settings updated"}"""), (status, body));
        Assert.Equal((0.8, ("AUTO", 0.25), ("ON", 0.6)), camera.Extensions); // a bare defog number is its level (mode ON)
        (_, body) = await SendAsync(admin, HttpMethod.Get, "/api/streams/yard/imaging/settings");
        Assert.Contains("\"noise_reduction\":0.8,\"tone_compensation\":{\"mode\":\"AUTO\",\"level\":0.25},\"defogging\":{\"mode\":\"ON\",\"level\":0.6}", body, StringComparison.Ordinal);
        (status, _) = await SendAsync(admin, HttpMethod.Put, "/api/streams/yard/imaging/settings", """{"tone":{"mode":"off"},"defogging":{"mode":"OFF"}}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((0.8, ("OFF", 0.25), ("OFF", 0.6)), camera.Extensions);

        var sets = camera.Count("SetImagingSettings");
        (status, body) = await SendAsync(admin, HttpMethod.Put, "/api/streams/yard/imaging/settings", """{"noise_reduction":1.5}""");
        Assert.Equal((HttpStatusCode.BadRequest, "noise_reduction must be between 0 and 1 (the camera's range)"), (status, Error(body)));
        (status, body) = await SendAsync(admin, HttpMethod.Put, "/api/streams/yard/imaging/settings", """{"tone_compensation":{"mode":"MAX"}}""");
        Assert.Equal((HttpStatusCode.BadRequest, "tone_compensation mode must be one of OFF, ON, AUTO (the camera's modes)"), (status, Error(body)));
        (status, body) = await SendAsync(admin, HttpMethod.Put, "/api/streams/yard/imaging/settings", """{"defogging":{"level":-0.1}}""");
        Assert.Equal((HttpStatusCode.BadRequest, "defogging level must be between 0 and 1 (the camera's range)"), (status, Error(body)));
        (status, body) = await SendAsync(admin, HttpMethod.Put, "/api/streams/yard/imaging/settings", """{"defog":"thick"}""");
        Assert.Equal((HttpStatusCode.BadRequest, "defog must be an object {mode, level} or a number"), (status, Error(body)));

        camera.ImagingExtensions = false; // a camera whose options offer none of them
        (_, body) = await SendAsync(admin, HttpMethod.Get, "/api/streams/yard/imaging/options");
        Assert.DoesNotContain("noise_reduction", body, StringComparison.Ordinal);
        (status, body) = await SendAsync(admin, HttpMethod.Put, "/api/streams/yard/imaging/settings", """{"noise_reduction":0.5}""");
        Assert.Equal((HttpStatusCode.BadRequest, "noise_reduction is not adjustable on this camera"), (status, Error(body)));
        (status, body) = await SendAsync(admin, HttpMethod.Put, "/api/streams/yard/imaging/settings", """{"tone":{"mode":"ON"}}""");
        Assert.Equal((HttpStatusCode.BadRequest, "tone_compensation is not adjustable on this camera"), (status, Error(body)));
        Assert.Equal(sets, camera.Count("SetImagingSettings")); // every refusal before the camera was asked
    }

    [Fact]
    public async Task Day_night_switches_the_ir_cut_filter()
    {
        await using var camera = new OnvifStandIn();
        await using var host = await HostWithCameraAsync(camera);
        using var admin = await host.SessionClientAsync();

        var (status, body) = await SendAsync(admin, HttpMethod.Get, "/api/streams/yard/daynight");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"success":true,"source":"onvif-imaging","video_source_token":"vs0","mode":"auto","ir_cut_filter":"Auto","supported_modes":["day","night","auto"],"options_available":true}""", body);

        (status, body) = await SendAsync(admin, HttpMethod.Put, "/api/streams/yard/daynight", """{"mode":"night"}""");
        Assert.Equal((HttpStatusCode.OK, """{"success":true,"source":"onvif-imaging","mode":"night","ir_cut_filter":"Off"}"""), (status, body));
        Assert.Equal("OFF", camera.IrCutFilter);
        (_, body) = await SendAsync(admin, HttpMethod.Get, "/api/streams/yard/daynight");
        Assert.Contains("\"mode\":\"night\"", body, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, HttpMethod.Put, "/api/streams/yard/daynight", """{"daynight":"color"}""")).Status);
        Assert.Equal("ON", camera.IrCutFilter);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, HttpMethod.Put, "/api/streams/yard/daynight", """{"ir_cut_filter":"Auto"}""")).Status);
        Assert.Equal("AUTO", camera.IrCutFilter);

        (status, body) = await SendAsync(admin, HttpMethod.Put, "/api/streams/yard/daynight", """{"mode":"dusk"}""");
        Assert.Equal((HttpStatusCode.BadRequest, "mode must be auto, day, or night; ir_cut_filter must be On, Off, or Auto"), (status, Error(body)));
        Assert.Equal("AUTO", camera.IrCutFilter);
    }

    [Fact]
    public async Task Streams_and_cameras_without_imaging_give_clear_errors()
    {
        await using var camera = new OnvifStandIn { HasImaging = false };
        await using var host = await HostWithCameraAsync(camera);
        using var admin = await host.SessionClientAsync();
        var (status, body) = await SendAsync(admin, HttpMethod.Get, "/api/streams/yard/daynight");
        Assert.Equal((HttpStatusCode.BadGateway, "not supported by this camera: this camera has no Imaging service"), (status, Error(body)));

        await host.Service<StreamStore>().InsertAsync(new StreamConfig { Name = "plain", Url = "rtsp://127.0.0.1:1/x", Enabled = false });
        (status, body) = await SendAsync(admin, HttpMethod.Get, "/api/streams/plain/imaging/settings");
        Assert.Equal((HttpStatusCode.BadRequest, "ONVIF is not enabled for this stream"), (status, Error(body)));

        await host.CreateUserAsync("vera", "vera-password", Role.Viewer);
        using var viewer = await host.SessionClientAsync("vera", "vera-password");
        (status, body) = await SendAsync(viewer, HttpMethod.Put, "/api/streams/yard/daynight", """{"mode":"day"}""");
        Assert.Equal((HttpStatusCode.Forbidden, "Viewer role cannot control cameras"), (status, Error(body)));
    }
}
