using System.Net;
using System.Text.Json;
using LightNvr.Data;
using LightNvr.Onvif;
using LightNvr.Testing.Onvif;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Api.Onvif;

/// <summary>
/// The PTZ routes on the whole server against <see cref="OnvifStandIn"/>, a STAND-IN camera (no ONVIF emulator is
/// packaged anywhere reachable) that keeps a PTZ position: every test reads where the stand-in points after the call,
/// not what the API answered. The stand-in's clock is the real one (a continuous move advances with it), the
/// server's the tests' fake one (the move watchdog fires when the test advances it).
/// </summary>
public sealed class PtzApiTests
{
    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(50);
        }
    }

    private static async Task<TestServerHost> HostWithCameraAsync(OnvifStandIn camera, bool ptzEnabled = true)
    {
        var host = await TestServerHost.StartAsync(full: true);
        await host.Service<StreamStore>().InsertAsync(new StreamConfig
        {
            Name = "dome", Url = "rtsp://127.0.0.1:1/main", Enabled = false, IsOnvif = true, OnvifPort = camera.Port,
            OnvifUsername = "admin", OnvifPassword = "secret", OnvifProfile = "main", PtzEnabled = ptzEnabled,
        });
        return host;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = TestServerHost.Json(json);
        }
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static void Near((double Pan, double Tilt, double Zoom) expected, (double Pan, double Tilt, double Zoom) actual)
    {
        Assert.Equal(expected.Pan, actual.Pan, 3);
        Assert.Equal(expected.Tilt, actual.Tilt, 3);
        Assert.Equal(expected.Zoom, actual.Zoom, 3);
    }

    [Fact]
    public async Task Continuous_move_turns_the_camera_until_stop()
    {
        await using var camera = new OnvifStandIn();
        await using var host = await HostWithCameraAsync(camera);
        using var admin = await host.SessionClientAsync();

        var (status, body) = await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/move", """{"pan":0,"tilt":0.5,"zoom":0}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("PTZ move started", body.GetProperty("message").GetString());
        Assert.True(camera.Moving);
        await WaitAsync(() => camera.Position.Tilt > 0.1, "the tilt to grow while moving");

        (status, body) = await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/stop");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("PTZ stopped", body.GetProperty("message").GetString());
        Assert.False(camera.Moving);
        var stoppedAt = camera.Position;
        Assert.Equal(0, stoppedAt.Pan, 6);
        await Task.Delay(300);
        Assert.Equal(stoppedAt, camera.Position);

        (status, body) = await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/move", """{"pan":1.5}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Field 'pan' must be between -1 and 1", body.GetProperty("error").GetString());
        Assert.False(camera.Moving);
    }

    [Fact]
    public async Task A_move_nobody_stops_is_stopped_by_the_watchdog()
    {
        await using var camera = new OnvifStandIn();
        await using var host = await HostWithCameraAsync(camera);
        using var admin = await host.SessionClientAsync();

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/move", """{"pan":0.2}""")).Status);
        Assert.True(camera.Moving);
        host.Time.Advance(OnvifPtz.MoveWatchdog - TimeSpan.FromSeconds(1));
        await Task.Delay(200);
        Assert.True(camera.Moving); // not yet
        Assert.Equal(0, camera.Stops);

        host.Time.Advance(TimeSpan.FromSeconds(2));
        await WaitAsync(() => !camera.Moving, "the watchdog's Stop");
        await WaitAsync(() => host.Service<OnvifPtz>().WatchdogStops == 1, "the watchdog's count (after the camera's reply)");
        Assert.Equal(1, camera.Stops);

        // A stopped move leaves no watchdog behind: advancing the clock again sends nothing more.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/move", """{"pan":-0.2}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/stop")).Status);
        host.Time.Advance(OnvifPtz.MoveWatchdog * 2);
        await Task.Delay(300);
        Assert.Equal(2, camera.Stops);
        Assert.Equal(1, host.Service<OnvifPtz>().WatchdogStops);
    }

    [Fact]
    public async Task Absolute_relative_home_and_presets_put_the_camera_where_asked()
    {
        await using var camera = new OnvifStandIn();
        await using var host = await HostWithCameraAsync(camera);
        using var admin = await host.SessionClientAsync();

        var (status, body) = await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/absolute", """{"pan":-0.5,"tilt":0.25,"zoom":0.75}""");
        Assert.Equal((HttpStatusCode.OK, "PTZ absolute move completed"), (status, body.GetProperty("message").GetString()));
        Near((-0.5, 0.25, 0.75), camera.Position);

        // One axis: the others stay where they are.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/absolute", """{"pan":0.1}""")).Status);
        Near((0.1, 0.25, 0.75), camera.Position);

        (status, body) = await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/relative", """{"pan":0.2,"tilt":-0.5}""");
        Assert.Equal((HttpStatusCode.OK, "PTZ relative move completed"), (status, body.GetProperty("message").GetString()));
        Near((0.3, -0.25, 0.75), camera.Position);

        (status, body) = await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/set-home");
        Assert.Equal((HttpStatusCode.OK, "PTZ home position set"), (status, body.GetProperty("message").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/absolute", """{"pan":-1,"tilt":-1,"zoom":0}""")).Status);
        Near((-1, -1, 0), camera.Position);
        (status, body) = await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/home");
        Assert.Equal((HttpStatusCode.OK, "PTZ moved to home position"), (status, body.GetProperty("message").GetString()));
        Near((0.3, -0.25, 0.75), camera.Position);

        (status, body) = await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/goto-preset", """{"token":"1"}""");
        Assert.Equal((HttpStatusCode.OK, "PTZ moved to preset"), (status, body.GetProperty("message").GetString()));
        Near((0.5, 0.25, 0.1), camera.Position); // the stand-in's preset 1

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/absolute", """{"pan":0.9,"tilt":0.8,"zoom":0.7}""")).Status);
        (status, body) = await SendAsync(admin, HttpMethod.Put, "/api/streams/dome/ptz/preset", """{"name":"Gate & yard"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("PTZ preset created", body.GetProperty("message").GetString());
        var token = body.GetProperty("token").GetString()!;
        (status, body) = await SendAsync(admin, HttpMethod.Get, "/api/streams/dome/ptz/presets");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, body.GetProperty("count").GetInt32());
        Assert.Contains(body.GetProperty("presets").EnumerateArray(), p => p.GetProperty("token").GetString() == token && p.GetProperty("name").GetString() == "Gate & yard");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/home")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/goto-preset", $$"""{"token":"{{token}}"}""")).Status);
        Near((0.9, 0.8, 0.7), camera.Position);
    }

    [Fact]
    public async Task Continuous_velocities_are_checked_against_the_cameras_velocity_space_read_once_per_session()
    {
        await using var camera = new OnvifStandIn { MaxVelocity = 0.5 };
        await using var host = await HostWithCameraAsync(camera);
        using var admin = await host.SessionClientAsync();

        var (status, body) = await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/move", """{"pan":0.8}""");
        Assert.Equal((HttpStatusCode.BadRequest, "pan must be between -0.5 and 0.5 (the camera's velocity range)"), (status, body.GetProperty("error").GetString()));
        Assert.Equal(0, camera.Count("ContinuousMove"));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/move", """{"pan":0.5,"tilt":-0.5}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/stop")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/move", """{"zoom":1}""")).Status); // zoom keeps the generic −1..1
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/stop")).Status);
        Assert.Equal(2, camera.Count("ContinuousMove"));
        Assert.Equal(1, camera.Count("GetNodes")); // one GetNodes for the session, not one per press
    }

    [Fact]
    public async Task Move_speeds_reach_the_camera_and_are_checked_against_its_speed_spaces()
    {
        await using var camera = new OnvifStandIn();
        await using var host = await HostWithCameraAsync(camera);
        using var admin = await host.SessionClientAsync();

        var (status, caps) = await SendAsync(admin, HttpMethod.Get, "/api/streams/dome/ptz/capabilities");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"min":0,"max":1}""", caps.GetProperty("pan_tilt_speed_range").GetRawText());

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/absolute", """{"pan":0.5,"speed":0.25}""")).Status);
        Assert.Equal((0.25, 0.25, 0.25), camera.LastSpeed);
        Near((0.5, 0, 0), camera.Position);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/relative", """{"tilt":0.5,"pan_tilt_speed":1,"zoom_speed":0.5}""")).Status);
        Assert.Equal((1, 1, 0.5), camera.LastSpeed);
        Near((0.5, 0.5, 0), camera.Position);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/relative", """{"tilt":-0.5}""")).Status);
        Assert.Null(camera.LastSpeed); // no speed asked: the camera's default (no Speed element)

        var moves = camera.Count("AbsoluteMove") + camera.Count("RelativeMove");
        (status, var body) = await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/absolute", """{"pan":0,"speed":1.5}""");
        Assert.Equal((HttpStatusCode.BadRequest, "speed must be between 0 and 1 (the camera's pan/tilt speed range)"), (status, body.GetProperty("error").GetString()));
        (status, body) = await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/relative", """{"pan":0.1,"zoom_speed":-0.1}""");
        Assert.Equal((HttpStatusCode.BadRequest, "zoom_speed must be between 0 and 1 (the camera's zoom speed range)"), (status, body.GetProperty("error").GetString()));
        (status, body) = await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/relative", """{"pan":0.1,"speed":"fast"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);

        camera.SpeedSpaces = false; // a node without speed spaces
        (status, body) = await SendAsync(admin, HttpMethod.Post, "/api/streams/dome/ptz/absolute", """{"pan":0,"speed":0.5}""");
        Assert.Equal((HttpStatusCode.BadRequest, "speed is not supported by this camera (its PTZ node reports no speed space)"), (status, body.GetProperty("error").GetString()));
        Assert.Equal(moves, camera.Count("AbsoluteMove") + camera.Count("RelativeMove")); // refused before the camera was asked
    }

    [Fact]
    public async Task Bad_input_and_cameras_without_ptz_give_clear_errors()
    {
        await using var camera = new OnvifStandIn();
        await using var host = await HostWithCameraAsync(camera);
        using var admin = await host.SessionClientAsync();

        async Task Expect(HttpMethod method, string path, string? json, HttpStatusCode code, string error)
        {
            var (status, body) = await SendAsync(admin, method, path, json);
            Assert.Equal(code, status);
            Assert.Contains(error, body.GetProperty("error").GetString(), StringComparison.Ordinal);
        }
        await Expect(HttpMethod.Post, "/api/streams/dome/ptz/absolute", "{}", HttpStatusCode.BadRequest, "At least one PTZ axis is required");
        await Expect(HttpMethod.Post, "/api/streams/dome/ptz/relative", "{}", HttpStatusCode.BadRequest, "At least one PTZ axis is required");
        await Expect(HttpMethod.Post, "/api/streams/dome/ptz/absolute", """{"zoom":1.5}""", HttpStatusCode.BadRequest, "zoom must be between 0 and 1 (the camera's range)");
        await Expect(HttpMethod.Post, "/api/streams/dome/ptz/goto-preset", "{}", HttpStatusCode.BadRequest, "Missing preset token");
        await Expect(HttpMethod.Post, "/api/streams/dome/ptz/goto-preset", """{"token":"99"}""", HttpStatusCode.BadGateway, "No such preset token");
        await Expect(HttpMethod.Post, "/api/streams/dome/ptz/move", "not json", HttpStatusCode.BadRequest, "Invalid JSON");
        await Expect(HttpMethod.Post, "/api/streams/nope/ptz/stop", null, HttpStatusCode.NotFound, "Stream not found");
        Near((0, 0, 0), camera.Position);

        var (status, caps) = await SendAsync(admin, HttpMethod.Get, "/api/streams/dome/ptz/capabilities");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal($$"""{"ptz_enabled":true,"onvif_queried":true,"ptz_service_url":"http://127.0.0.1:{{camera.Port}}/onvif/ptz","has_pan_tilt":true,"has_zoom":true,"has_continuous_move":true,"has_absolute_move":true,"has_relative_move":true,"has_home_position":true,"has_presets":true,"max_presets":32,"pan_range":{"min":-1,"max":1},"tilt_range":{"min":-1,"max":1},"zoom_range":{"min":0,"max":1},"pan_tilt_speed_range":{"min":0,"max":1},"zoom_speed_range":{"min":0,"max":1},"max_x":0,"max_y":0,"max_z":0,"has_home":false}""",
            caps.GetRawText());

        // A camera without a PTZ service: the routes say so instead of failing obscurely.
        await using var fixedCamera = new OnvifStandIn { HasPtz = false };
        await host.Service<StreamStore>().InsertAsync(new StreamConfig
        {
            Name = "fixed", Url = "rtsp://127.0.0.1:1/main", Enabled = false, IsOnvif = true, OnvifPort = fixedCamera.Port,
            OnvifUsername = "admin", OnvifPassword = "secret", PtzEnabled = true,
        });
        await Expect(HttpMethod.Post, "/api/streams/fixed/ptz/move", """{"pan":0.5}""", HttpStatusCode.BadGateway, "not supported by this camera: this camera has no PTZ service");
        await Expect(HttpMethod.Get, "/api/streams/fixed/ptz/presets", null, HttpStatusCode.BadGateway, "no PTZ service");

        // ptz_enabled off: upstream's 400, and the camera is not contacted.
        await host.Service<StreamStore>().InsertAsync(new StreamConfig
        {
            Name = "still", Url = "rtsp://127.0.0.1:1/main", Enabled = false, IsOnvif = true, OnvifPort = camera.Port,
            OnvifUsername = "admin", OnvifPassword = "secret",
        });
        var before = camera.Operations.Count;
        await Expect(HttpMethod.Post, "/api/streams/still/ptz/move", """{"pan":0.5}""", HttpStatusCode.BadRequest, "PTZ not enabled for this stream");
        (status, caps) = await SendAsync(admin, HttpMethod.Get, "/api/streams/still/ptz/capabilities");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(caps.GetProperty("ptz_enabled").GetBoolean());
        Assert.False(caps.GetProperty("onvif_queried").GetBoolean());
        Assert.Equal(before, camera.Operations.Count);
    }

    [Fact]
    public async Task A_viewer_reads_presets_but_cannot_move_the_camera()
    {
        await using var camera = new OnvifStandIn();
        await using var host = await HostWithCameraAsync(camera);
        await host.CreateUserAsync("vera", "vera-password", Role.Viewer);
        using var viewer = await host.SessionClientAsync("vera", "vera-password");

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(viewer, HttpMethod.Get, "/api/streams/dome/ptz/presets")).Status);
        var (status, body) = await SendAsync(viewer, HttpMethod.Post, "/api/streams/dome/ptz/move", """{"pan":0.5}""");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("Viewer role cannot control cameras", body.GetProperty("error").GetString());
        Assert.False(camera.Moving);
        Assert.Equal(0, camera.Count("ContinuousMove"));
    }
}
