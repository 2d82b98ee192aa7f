using LightNvr.Onvif;
using LightNvr.Testing.Onvif;

namespace LightNvr.Tests.Onvif;

/// <summary>
/// The client against <see cref="OnvifStandIn"/>, a STAND-IN camera (no ONVIF emulator is packaged anywhere reachable;
/// the stand-in checks tokens with its own code). Authentication, camera clock offset, HTTP Digest, faults and the
/// bounds on replies.
/// </summary>
[Collection(LightNvr.Tests.Events.MemoryMeasurementCollection.Name)] // its allocation figure is process-wide
public sealed class OnvifClientStandInTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static OnvifSoapClient Client(TimeSpan? timeout = null) =>
        new(new HttpClient(), TimeProvider.System) { Timeout = timeout ?? OnvifSoapClient.DefaultTimeout };

    private static Task<OnvifDevice> ConnectAsync(OnvifStandIn camera, string password = "secret", OnvifSoapClient? client = null) =>
        OnvifDevice.ConnectAsync(client ?? Client(), TimeProvider.System, camera.DeviceUrl, new OnvifCredentials("admin", password), CancellationToken.None);

    [Fact]
    public async Task Profiles_come_with_their_stream_uris_and_encoder_settings()
    {
        await using var camera = new OnvifStandIn(mainUri: "rtsp://127.0.0.1:8554/cam-main", subUri: "rtsp://127.0.0.1:8554/cam-sub");
        var device = await ConnectAsync(camera);
        var profiles = await device.GetProfilesAsync(CancellationToken.None);

        Assert.Equal(2, profiles.Count);
        Assert.Equal(("main", "H264", 1920, 1080, 25, 4096, "rtsp://127.0.0.1:8554/cam-main"),
            (profiles[0].Token, profiles[0].Encoding, profiles[0].Width, profiles[0].Height, profiles[0].Fps, profiles[0].BitrateKbps, profiles[0].StreamUri));
        Assert.Equal(("sub", 640, 360, "rtsp://127.0.0.1:8554/cam-sub"), (profiles[1].Token, profiles[1].Width, profiles[1].Height, profiles[1].StreamUri));
        Assert.EndsWith("/onvif/snapshot.jpg", profiles[0].SnapshotUri, StringComparison.Ordinal);
        Assert.Equal("ONVIF stand-in", (await device.GetDeviceInformationAsync(CancellationToken.None)).Model);
        Assert.Equal(0, camera.AuthFailures);
    }

    [Fact]
    public async Task A_camera_clock_two_hours_off_still_authenticates()
    {
        await using var camera = new OnvifStandIn(clockSkew: TimeSpan.FromHours(2));
        var device = await ConnectAsync(camera);
        await device.GetProfilesAsync(CancellationToken.None);

        Assert.InRange(device.ClockOffset.TotalSeconds, 7200 - 5, 7200 + 5);
        Assert.Equal(0, camera.AuthFailures);
        Assert.InRange((camera.LastTokenCreated!.Value - camera.Now).Duration().TotalSeconds, 0, 10);
    }

    [Fact]
    public async Task The_stand_in_refuses_a_token_in_our_time_when_its_clock_is_two_hours_off()
    {
        // Shows the clock check is real: the same call without the offset is refused.
        await using var camera = new OnvifStandIn(clockSkew: TimeSpan.FromHours(2));
        var error = await Assert.ThrowsAsync<OnvifException>(() => Client().CallAsync(camera.DeviceUrl,
            "<GetDeviceInformation xmlns=\"http://www.onvif.org/ver10/device/wsdl\"/>", new OnvifCredentials("admin", "secret"), TimeSpan.Zero, CancellationToken.None));
        Assert.Equal(OnvifErrorKind.Unauthorized, error.Kind);
    }

    [Fact]
    public async Task A_wrong_password_is_a_wrong_password_error()
    {
        await using var camera = new OnvifStandIn();
        var error = await Assert.ThrowsAsync<OnvifException>(() => ConnectAsync(camera, "nope"));
        Assert.Equal(OnvifErrorKind.Unauthorized, error.Kind);
        Assert.StartsWith("wrong password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_digest_is_used_when_the_camera_asks_for_it()
    {
        await using var camera = new OnvifStandIn { HttpDigestOnly = true };
        var device = await ConnectAsync(camera);
        Assert.Equal(2, (await device.GetProfilesAsync(CancellationToken.None)).Count);

        var error = await Assert.ThrowsAsync<OnvifException>(() => ConnectAsync(camera, "nope"));
        Assert.Equal(OnvifErrorKind.Unauthorized, error.Kind);
    }

    [Fact]
    public async Task An_operation_the_camera_lacks_is_not_supported()
    {
        await using var camera = new OnvifStandIn { HasImaging = false };
        var device = await ConnectAsync(camera);
        var error = await Assert.ThrowsAsync<OnvifException>(() => device.CallAsync(camera.DeviceUrl,
            "<GetImagingSettings xmlns=\"http://www.onvif.org/ver20/imaging/wsdl\"><VideoSourceToken>vs0</VideoSourceToken></GetImagingSettings>",
            CancellationToken.None));
        Assert.Equal(OnvifErrorKind.NotSupported, error.Kind);
        Assert.StartsWith("not supported by this camera", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Garbage_is_a_bad_reply()
    {
        await using var camera = new OnvifStandIn { Misbehaviour = StandInMisbehaviour.Garbage };
        var error = await Assert.ThrowsAsync<OnvifException>(() => ConnectAsync(camera));
        Assert.Equal(OnvifErrorKind.BadReply, error.Kind);
    }

    [Fact]
    public async Task A_50_MB_reply_is_refused_after_the_bound_with_bounded_memory()
    {
        await using var camera = new OnvifStandIn { Misbehaviour = StandInMisbehaviour.Huge };
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var error = await Assert.ThrowsAsync<OnvifException>(() => ConnectAsync(camera));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        output.WriteLine($"50 MB reply refused after allocating {allocated / 1024.0 / 1024.0:F1} MB");
        Assert.Equal(OnvifErrorKind.TooLarge, error.Kind);
        Assert.Contains("larger than 2 MB", error.Message, StringComparison.Ordinal);
        // Reading stops at the bound: far less than the 50 MB sent (the stand-in's own writes count here too,
        // 64 KB chunks it re-sends, so the figure bounds both together).
        Assert.True(allocated < 24L * 1024 * 1024, $"allocated {allocated / 1024 / 1024} MB");
    }

    [Fact]
    public async Task A_reply_that_never_ends_times_out()
    {
        await using var camera = new OnvifStandIn { Misbehaviour = StandInMisbehaviour.Endless };
        var started = System.Diagnostics.Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<OnvifException>(() => ConnectAsync(camera, client: Client(TimeSpan.FromSeconds(2))));
        Assert.Equal(OnvifErrorKind.Timeout, error.Kind);
        Assert.InRange(started.Elapsed.TotalSeconds, 1.5, 10);
    }

    [Fact]
    public async Task Nothing_listening_is_unreachable()
    {
        var port = System.Net.Sockets.TcpListener.Create(0);
        port.Start();
        var free = ((System.Net.IPEndPoint)port.LocalEndpoint).Port;
        port.Stop();
        var error = await Assert.ThrowsAsync<OnvifException>(() => OnvifDevice.ConnectAsync(Client(), TimeProvider.System,
            new Uri($"http://127.0.0.1:{free}/onvif/device_service"), null, CancellationToken.None));
        Assert.Equal(OnvifErrorKind.Unreachable, error.Kind);
    }
}
