using System.Net;
using System.Net.NetworkInformation;
using LightNvr.Config;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LightNvr.Integrations.Webhooks;

/// <summary>
/// Which targets are the NVR's own API, and so refused (a hook posting to the NVR would let whoever edits hooks make
/// the server call itself with its own network position, and an event hook on an event route could loop). An address
/// is the NVR's when its port is a port the web server listens on and the address is loopback, the bind address, or,
/// when bound to every interface (<c>0.0.0.0</c>, <c>::</c>), any address of this machine. The ports come from
/// <c>[web] web_port</c>/<c>web_bind_ip</c> and from the addresses Kestrel actually listens on (tests bind port 0).
/// Checked twice: on the URL when a hook is saved (literal addresses and <c>localhost</c>, a clear 400), and on every
/// address the name resolves to when a request connects (<see cref="WebhookClient"/>), so a DNS name pointing here
/// is refused too.
/// </summary>
public sealed class WebhookTargets(ConfigSection<WebOptions> web, IServer? server = null)
{
    public const string OwnApi = "the target is this NVR's own API";

    /// <summary>Why <paramref name="url"/> may not be a hook's target, or null. Only what the URL itself says (no DNS).</summary>
    public string? Problem(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var host = url.IdnHost.Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IsOwnApi(IPAddress.Loopback, url.Port) ? OwnApi : null;
        }
        return IPAddress.TryParse(host, out var address) && IsOwnApi(address, url.Port) ? OwnApi : null;
    }

    /// <summary>True when connecting to <paramref name="address"/>:<paramref name="port"/> would reach this NVR's web server.</summary>
    public bool IsOwnApi(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        foreach (var (bind, listenPort) in Listening())
        {
            if (port != listenPort)
            {
                continue;
            }
            if (IPAddress.IsLoopback(address) || address.Equals(bind)
                || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            {
                return true;
            }
            if ((bind.Equals(IPAddress.Any) || bind.Equals(IPAddress.IPv6Any)) && IsLocal(address))
            {
                return true;
            }
        }
        return false;
    }

    private IEnumerable<(IPAddress Bind, int Port)> Listening()
    {
        var options = web.Current;
        if (IPAddress.TryParse(options.BindIp, out var bind))
        {
            yield return (bind.IsIPv4MappedToIPv6 ? bind.MapToIPv4() : bind, options.Port);
        }
        var addresses = server?.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is null)
        {
            yield break;
        }
        foreach (var text in addresses.ToArray())
        {
            if (ParseListen(text) is { } listen)
            {
                yield return listen;
            }
        }
    }

    /// <summary>A Kestrel address (<c>http://127.0.0.1:8080</c>, <c>http://[::]:80</c>, <c>http://+:80</c>, <c>http://localhost:5000</c>).</summary>
    internal static (IPAddress, int)? ParseListen(string text)
    {
        var rest = text[(text.IndexOf("://", StringComparison.Ordinal) is var i and >= 0 ? i + 3 : 0)..].TrimEnd('/');
        var colon = rest.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(rest[(colon + 1)..], out var port))
        {
            return null;
        }
        var host = rest[..colon].Trim('[', ']');
        var address = host switch
        {
            "+" or "*" => IPAddress.Any,
            _ when host.Equals("localhost", StringComparison.OrdinalIgnoreCase) => IPAddress.Loopback,
            _ => IPAddress.TryParse(host, out var a) ? a : null,
        };
        return address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, port);
    }

    private static bool IsLocal(IPAddress address)
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Any(u => u.Address.Equals(address));
        }
        catch (NetworkInformationException)
        {
            return false;
        }
    }
}
