using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Xml.Linq;

namespace LightNvr.Testing.Onvif;

/// <summary>
/// WS-Discovery (OASIS WS-Discovery 1.0 April 2005, as ONVIF Core §7.3 requires): answers a Probe sent to
/// <see cref="DiscoveryPort"/> on 127.0.0.1 with a ProbeMatches naming <see cref="DeviceUrl"/>. Unicast on loopback
/// only: the test sandbox has no multicast route, so the multicast group is not joined (the client's multicast
/// send is the same message to 239.255.255.250:3702).
/// </summary>
public sealed partial class OnvifStandIn
{
    private UdpClient? _udp;
    private readonly Task _discovery;

    /// <summary>The stand-in's endpoint reference (its urn:uuid), as in every ProbeMatch.</summary>
    public string EndpointReference { get; } = "urn:uuid:" + Guid.NewGuid();

    public int DiscoveryPort => ((IPEndPoint)_udp!.Client.LocalEndPoint!).Port;

    public int ProbesAnswered { get; private set; }

    private Task StartDiscovery()
    {
        _udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
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
                try
                {
                    var envelope = XDocument.Parse(Encoding.UTF8.GetString(packet.Buffer)).Root!;
                    if (!envelope.Descendants().Any(e => e.Name.LocalName == "Probe"))
                    {
                        continue;
                    }
                    var messageId = envelope.Descendants().FirstOrDefault(e => e.Name.LocalName == "MessageID")?.Value ?? "";
                    var reply = Encoding.UTF8.GetBytes(ProbeMatches(messageId));
                    await _udp.SendAsync(reply, packet.RemoteEndPoint, _stop.Token).ConfigureAwait(false);
                    ProbesAnswered++;
                }
                catch (System.Xml.XmlException)
                {
                    // Not XML: a real camera ignores it too.
                }
            }
        });
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
