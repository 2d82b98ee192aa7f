using System.Text;
using System.Xml.Linq;

namespace LightNvr.Onvif;

/// <summary>
/// WS-Discovery messages (OASIS WS-Discovery, April 2005 namespace, which ONVIF Core §7.3 uses): the Probe for
/// <c>dn:NetworkVideoTransmitter</c> and the parse of a ProbeMatches reply. Replies go through the same bounded,
/// DTD-free reader as SOAP replies (<see cref="SoapReply"/>).
/// </summary>
public static class WsDiscoveryMessages
{
    public const string DiscoveryNamespace = "http://schemas.xmlsoap.org/ws/2005/04/discovery";
    public const string AddressingNamespace = "http://schemas.xmlsoap.org/ws/2004/08/addressing";

    /// <summary>Longest UDP reply read: WS-Discovery over UDP fits one datagram (SOAP-over-UDP §3: ≤ 64 KB).</summary>
    public const int MaxDatagramBytes = 65_507;

    /// <summary>Most matches read from one reply, and most XAddrs/scopes kept per match.</summary>
    public const int MaxMatches = 8;
    public const int MaxListItems = 32;

    public static byte[] Probe(Guid messageId) => Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" +
        $"<s:Envelope xmlns:s=\"{SoapEnvelope.Soap12}\" xmlns:a=\"{AddressingNamespace}\" xmlns:d=\"{DiscoveryNamespace}\" " +
        "xmlns:dn=\"http://www.onvif.org/ver10/network/wsdl\"><s:Header>" +
        $"<a:Action s:mustUnderstand=\"1\">{DiscoveryNamespace}/Probe</a:Action>" +
        $"<a:MessageID>urn:uuid:{messageId}</a:MessageID>" +
        "<a:ReplyTo><a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>" +
        "<a:To s:mustUnderstand=\"1\">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header>" +
        "<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>");

    /// <summary>The devices in a ProbeMatches datagram; empty for anything else (another host's Probe, Hello, junk).</summary>
    public static IReadOnlyList<DiscoveredDevice> ParseProbeMatches(ReadOnlySpan<byte> datagram, string fromAddress, DateTimeOffset now)
    {
        XElement body;
        try
        {
            using var stream = new MemoryStream(datagram.ToArray());
            body = SoapReply.Body(stream);
        }
        catch (OnvifException)
        {
            return [];
        }
        if (body.Name.LocalName != "ProbeMatches")
        {
            return [];
        }
        var devices = new List<DiscoveredDevice>();
        foreach (var match in body.Children("ProbeMatch").Take(MaxMatches))
        {
            var xaddrs = Split(match.Child("XAddrs").Text()).Select(OnvifXml.HttpUri).OfType<Uri>().ToList();
            var endpoint = match.Path("EndpointReference", "Address").Text();
            if (xaddrs.Count == 0 || endpoint is null)
            {
                continue;
            }
            // Prefer the XAddr on the address the reply came from (cameras list one per interface).
            var service = xaddrs.FirstOrDefault(x => x.Host == fromAddress) ?? xaddrs[0];
            var scopes = Split(match.Child("Scopes").Text());
            devices.Add(new DiscoveredDevice(endpoint, service, service.Host, Scope(scopes, "name"), Scope(scopes, "hardware"),
                Split(match.Child("Types").Text()), scopes, now));
        }
        return devices;
    }

    private static List<string> Split(string? text) =>
        (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Take(MaxListItems).ToList();

    private static string Scope(IEnumerable<string> scopes, string kind)
    {
        var prefix = $"onvif://www.onvif.org/{kind}/";
        var value = scopes.FirstOrDefault(s => s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))?[prefix.Length..] ?? "";
        return Uri.UnescapeDataString(value.Replace('_', ' '));
    }
}
