using System.Net;
using LightNvr.Config;

namespace LightNvr.Auth;

/// <summary>
/// <c>[web] trusted_proxy_cidrs</c>: when the socket peer is a trusted reverse proxy, the client is the right-most
/// <c>X-Forwarded-For</c> address that is not itself a trusted proxy (the left part of the header is whatever the
/// client sent, so it is never believed). The connection's remote address is replaced before authentication, so login
/// CIDRs, the login rate limiter, sessions and logs all see the real client, not one proxy address for everybody.
/// Read per request: a change through the settings API applies at once.
/// </summary>
public sealed class ForwardedClientMiddleware(RequestDelegate next, ConfigSection<WebOptions> web)
{
    /// <summary>Addresses read from one header: more hops than any home or office chain of proxies.</summary>
    public const int MaxForwardedHops = 16;

    public Task InvokeAsync(HttpContext context)
    {
        var trusted = web.Current.TrustedProxyCidrs;
        if (trusted.Length > 0 && ClientAddress.Of(context) is { } peer && LoginCidrs.Allows(trusted, peer)
            && ClientOf(context.Request.Headers["X-Forwarded-For"].ToString(), trusted) is { } client)
        {
            context.Connection.RemoteIpAddress = client;
        }
        return next(context);
    }

    /// <summary>The right-most untrusted address of an X-Forwarded-For value (or the left-most if all are trusted); null if unusable.</summary>
    public static IPAddress? ClientOf(string header, string trustedCidrs)
    {
        if (header.Length == 0)
        {
            return null;
        }
        var hops = header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        IPAddress? last = null;
        for (var i = hops.Length - 1; i >= 0 && i >= hops.Length - MaxForwardedHops; i--)
        {
            if (!TryParseHop(hops[i], out var address))
            {
                return last; // garbage before this point was written by the client: stop at the last good proxy hop
            }
            last = address;
            if (!LoginCidrs.Allows(trustedCidrs, address))
            {
                return address;
            }
        }
        return last;
    }

    /// <summary>An address as proxies write it: <c>1.2.3.4</c>, <c>1.2.3.4:5678</c>, <c>2001:db8::1</c> or <c>[2001:db8::1]:5678</c>.</summary>
    private static bool TryParseHop(string hop, out IPAddress address)
    {
        if (IPEndPoint.TryParse(hop, out var endPoint))
        {
            address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
            return true;
        }
        address = IPAddress.None;
        return false;
    }
}
