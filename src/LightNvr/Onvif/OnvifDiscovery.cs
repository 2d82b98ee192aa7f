using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace LightNvr.Onvif;

/// <summary>
/// One WS-Discovery scan (ONVIF Core §7.3): a Probe to 239.255.255.250:3702 out of every up IPv4 interface (or those
/// in the configured network; loopback only when that network contains 127.0.0.1), with IP_MULTICAST_LOOP on (the
/// default) so a camera process on this machine hears it too, unicast Probes to every host of a configured CIDR and to explicit addresses, then
/// ProbeMatches collected for <see cref="Window"/> from one socket. Results are de-duplicated by endpoint reference
/// and bounded by <see cref="MaxDevices"/>.
/// </summary>
public sealed class OnvifDiscovery(TimeProvider time)
{
    public static readonly IPEndPoint Multicast = new(IPAddress.Parse("239.255.255.250"), 3702);

    /// <summary>Upstream returns at most 32 devices per scan.</summary>
    public const int MaxDevices = 32;

    /// <summary>Most hosts probed one by one: a /22 (upstream scans the CIDR host by host, a /24 in practice).</summary>
    public const int MaxUnicastHosts = 1024;

    /// <summary>How long replies are collected: WS-Discovery's MATCH_TIMEOUT is 4 s; cameras answer within 1–2 s.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Scans <paramref name="network"/> (<c>auto</c>/empty or an IPv4 CIDR) plus <paramref name="unicast"/> targets.</summary>
    public async Task<IReadOnlyList<DiscoveredDevice>> ScanAsync(string? network, IReadOnlyList<IPEndPoint> unicast, CancellationToken cancellationToken)
    {
        var cidr = IsAuto(network) ? null : Ipv4Cidr.Parse(network!);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        var probe = WsDiscoveryMessages.Probe(Guid.NewGuid());
        foreach (var address in InterfaceAddresses(cidr))
        {
            try
            {
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, address.GetAddressBytes());
                await socket.SendToAsync(probe, Multicast, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                // An interface without a multicast route (a container, the test sandbox): the unicast probes still go.
            }
        }
        var targets = (cidr?.Hosts(MaxUnicastHosts).Select(h => new IPEndPoint(h, Multicast.Port)) ?? []).Concat(unicast);
        foreach (var target in targets)
        {
            try
            {
                await socket.SendToAsync(probe, target, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                // Unreachable host or network: no reply, nothing else to do.
            }
        }
        return await CollectAsync(socket, cancellationToken).ConfigureAwait(false);
    }

    public static bool IsAuto(string? network) => string.IsNullOrWhiteSpace(network) || network.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase);

    private async Task<IReadOnlyList<DiscoveredDevice>> CollectAsync(Socket socket, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, DiscoveredDevice>(StringComparer.Ordinal);
        var buffer = new byte[WsDiscoveryMessages.MaxDatagramBytes];
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        window.CancelAfter(Window);
        while (found.Count < MaxDevices)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), window.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (SocketException)
            {
                continue; // ICMP port unreachable from a probed host surfaces here on Linux.
            }
            var from = ((IPEndPoint)received.RemoteEndPoint).Address.ToString();
            foreach (var device in WsDiscoveryMessages.ParseProbeMatches(buffer.AsSpan(0, received.ReceivedBytes), from, time.GetUtcNow()))
            {
                if (found.Count < MaxDevices)
                {
                    found.TryAdd(device.Endpoint, device);
                }
            }
        }
        return [.. found.Values];
    }

    private static IEnumerable<IPAddress> InterfaceAddresses(Ipv4Cidr? cidr)
    {
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            // Loopback (which Linux does not flag MULTICAST, though IP_MULTICAST_IF 127.0.0.1 delivers to local
            // members) only when the configured network names it: a camera on this machine, or the tests' stand-in.
            var loopback = nic.NetworkInterfaceType == NetworkInterfaceType.Loopback;
            if (nic.OperationalStatus != OperationalStatus.Up || (!loopback && !nic.SupportsMulticast) || (loopback && cidr is null))
            {
                continue;
            }
            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork && (cidr is null || cidr.Contains(unicast.Address)))
                {
                    yield return unicast.Address;
                }
            }
        }
    }
}
