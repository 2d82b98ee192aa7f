using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Xml.Linq;

namespace LightNvr.Testing.Onvif;

/// <summary>
/// WS-Discovery (OASIS WS-Discovery 1.0 April 2005, as ONVIF Core §7.3 requires): answers a Probe with a
/// ProbeMatches naming <see cref="DeviceUrl"/>. Always on a unicast UDP port of <see cref="BindAddress"/>
/// (<see cref="DiscoveryPort"/>); with <c>multicast: true</c> also as a real camera does, on 3702 joined to
/// 239.255.255.250 on the interface of <see cref="BindAddress"/> (loopback multicast works in the test sandbox when
/// the sender sets IP_MULTICAST_IF to 127.0.0.1 and leaves IP_MULTICAST_LOOP on: docs/onvif.md "Discovery").
/// </summary>
public sealed partial class OnvifStandIn
{
    /// <summary>WS-Discovery's multicast group and port (WS-Discovery 1.0 §2.4).</summary>
    public static readonly IPEndPoint MulticastGroup = new(IPAddress.Parse("239.255.255.250"), 3702);

    private UdpClient? _udp;
    private Socket? _multicastSocket;
    private readonly Task _discovery;
    private readonly Task _multicastDiscovery;
    private int _probesAnswered;
    private int _multicastProbesAnswered;

    /// <summary>The stand-in's endpoint reference (its urn:uuid), as in every ProbeMatch.</summary>
    public string EndpointReference { get; } = "urn:uuid:" + Guid.NewGuid();

    public int DiscoveryPort => ((IPEndPoint)_udp!.Client.LocalEndPoint!).Port;

    public int ProbesAnswered => Volatile.Read(ref _probesAnswered);

    /// <summary>Probes answered that arrived addressed to the multicast group (not a unicast probe of port 3702).</summary>
    public int MulticastProbesAnswered => Volatile.Read(ref _multicastProbesAnswered);

    private Task StartDiscovery()
    {
        _udp = new UdpClient(new IPEndPoint(BindAddress, 0));
        return Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                UdpReceiveResult packet;
                try
                {
                    packet = await _udp.ReceiveAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }
                if (ProbeReply(packet.Buffer) is { } reply)
                {
                    await _udp.SendAsync(reply, packet.RemoteEndPoint, _stop.Token).ConfigureAwait(false);
                    Interlocked.Increment(ref _probesAnswered);
                }
            }
        });
    }

    /// <summary>3702 shared with SO_REUSEADDR (several stand-ins, or a real WS-Discovery daemon, may hold it too).</summary>
    private Task StartMulticastDiscovery()
    {
        var socket = _multicastSocket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
        socket.Bind(new IPEndPoint(IPAddress.Any, MulticastGroup.Port));
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(MulticastGroup.Address, BindAddress));
        return Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            while (!_stop.IsCancellationRequested)
            {
                SocketReceiveMessageFromResult packet;
                try
                {
                    packet = await socket.ReceiveMessageFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), _stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }
                if (!packet.PacketInformation.Address.Equals(MulticastGroup.Address))
                {
                    continue; // a unicast probe of 3702: the unicast socket's business
                }
                if (ProbeReply(buffer.AsSpan(0, packet.ReceivedBytes).ToArray()) is { } reply)
                {
                    // The reply goes unicast to the prober (WS-Discovery §6.1), from the answering socket.
                    await socket.SendToAsync(reply, packet.RemoteEndPoint, _stop.Token).ConfigureAwait(false);
                    Interlocked.Increment(ref _multicastProbesAnswered);
                }
            }
        });
    }

    /// <summary>The ProbeMatches for a Probe, or null for anything else (a real camera ignores it too).</summary>
    private byte[]? ProbeReply(byte[] datagram)
    {
        try
        {
            var envelope = XDocument.Parse(Encoding.UTF8.GetString(datagram)).Root!;
            if (!envelope.Descendants().Any(e => e.Name.LocalName == "Probe"))
            {
                return null;
            }
            var messageId = envelope.Descendants().FirstOrDefault(e => e.Name.LocalName == "MessageID")?.Value ?? "";
            return Encoding.UTF8.GetBytes(ProbeMatches(messageId));
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    private string ProbeMatches(string relatesTo) =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" +
        "<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:wsa=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\"" +
        " xmlns:wsd=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\" xmlns:dn=\"http://www.onvif.org/ver10/network/wsdl\">" +
        $"<env:Header><wsa:MessageID>urn:uuid:{Guid.NewGuid()}</wsa:MessageID><wsa:RelatesTo>{relatesTo}</wsa:RelatesTo>" +
        "<wsa:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>" +
        "<wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action></env:Header>" +
        "<env:Body><wsd:ProbeMatches><wsd:ProbeMatch>" +
        $"<wsa:EndpointReference><wsa:Address>{EndpointReference}</wsa:Address></wsa:EndpointReference>" +
        "<wsd:Types>dn:NetworkVideoTransmitter</wsd:Types>" +
        $"<wsd:Scopes>{string.Join(' ', Scopes)}</wsd:Scopes>" +
        $"<wsd:XAddrs>{DeviceUrl}</wsd:XAddrs><wsd:MetadataVersion>1</wsd:MetadataVersion>" +
        "</wsd:ProbeMatch></wsd:ProbeMatches></env:Body></env:Envelope>";
}
