using System.Net;
using Microsoft.AspNetCore.Http;

namespace LightNvr.Auth;

/// <summary>
/// The client's address as the server sees it: the socket peer, IPv4-mapped addresses shown as IPv4. Behind a proxy
/// listed in [web] trusted_proxy_cidrs, <see cref="ForwardedClientMiddleware"/> has already replaced the peer.
/// </summary>
public static class ClientAddress
{
    public static IPAddress? Of(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        return address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
    }

    public static string Text(HttpContext context) => Of(context)?.ToString() ?? "";
}
