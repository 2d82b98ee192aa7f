using System.Net;
using LightNvr.Onvif;
using LightNvr.Testing.Onvif;

namespace LightNvr.Tests.Onvif;

/// <summary>
/// WS-Discovery over real multicast (239.255.255.250:3702) on loopback, against <see cref="OnvifStandIn"/>, a STAND-IN
/// camera (no ONVIF emulator is packaged anywhere reachable) that joins the group on 127.0.0.1 as a camera joins it on
/// its LAN interface. Loopback has no MULTICAST flag on Linux, yet a datagram sent with IP_MULTICAST_IF 127.0.0.1 and
/// IP_MULTICAST_LOOP on reaches every member on lo: checked here in the sandbox (2026-12-06). The stand-in binds the
/// well-known port 3702 (shared, SO_REUSEADDR): multicast discovery has no other port.
/// </summary>
public sealed class MulticastDiscoveryTests
{
    [Fact]
    public async Task A_multicast_probe_on_the_loopback_network_finds_the_stand_in()
    {
        await using var camera = new OnvifStandIn(multicast: true);
        var discovery = new OnvifDiscovery(TimeProvider.System) { Window = TimeSpan.FromSeconds(3) };

        // No unicast target can answer: 127.0.0.1:3702 is the stand-in's group socket, which answers only datagrams
        // addressed to the group; its unicast port is not probed.
        IReadOnlyList<DiscoveredDevice> found = [];
        for (var attempt = 0; attempt < 3 && !found.Any(d => d.Endpoint == camera.EndpointReference); attempt++)
        {
            found = await discovery.ScanAsync("127.0.0.1/32", [], CancellationToken.None);
        }

        var device = Assert.Single(found, d => d.Endpoint == camera.EndpointReference);
        Assert.Equal(camera.DeviceUrl, device.DeviceService);
        Assert.True(camera.MulticastProbesAnswered >= 1);
        Assert.Equal(0, camera.ProbesAnswered);
    }

    [Fact]
    public async Task Auto_discovery_leaves_loopback_out()
    {
        // "auto" probes the machine's LAN interfaces, never lo: a camera is not expected on the server itself unless
        // the configured network says so.
        await using var camera = new OnvifStandIn(multicast: true);
        var discovery = new OnvifDiscovery(TimeProvider.System) { Window = TimeSpan.FromSeconds(1) };

        var found = await discovery.ScanAsync("auto", [new IPEndPoint(IPAddress.Loopback, camera.DiscoveryPort)], CancellationToken.None);

        Assert.Contains(found, d => d.Endpoint == camera.EndpointReference); // through the unicast probe
        Assert.Equal(1, camera.ProbesAnswered);
    }
}
