using LightNvr.Config;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace LightNvr.Auth;

/// <summary>
/// <c>[web] trusted_proxy_cidrs</c> through ASP.NET Core's forwarded-headers handling
/// (<see cref="ForwardedHeadersMiddleware"/>): only when the socket peer is in the list are <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> read, right to left, one hop per trusted proxy, so the client is the right-most address that
/// is not itself a trusted proxy (the left part of the header is whatever the client sent and is never believed) and
/// the scheme is the one the outermost trusted proxy saw (an https page behind a TLS proxy gets <c>Secure</c> cookies).
/// <c>X-Forwarded-Host</c> is not used: the Host header stays the one the proxy sent, which the cross-site request guard
/// compares Origin with. The connection's remote address is replaced before authentication, so login CIDRs, the login
/// rate limiter, sessions and logs all see the real client. The list is read per request; a change through the
/// settings API builds a new handler.
/// </summary>
public sealed class ForwardedClientMiddleware(RequestDelegate next, ConfigSection<WebOptions> web, ILoggerFactory logs)
{
    /// <summary>Hops read from one header: more proxies than any home or office chain (ASP.NET Core's default is 1).</summary>
    public const int MaxForwardedHops = 16;

    private (string Cidrs, ForwardedHeadersMiddleware? Handler) _current = ("", null);

    public Task InvokeAsync(HttpContext context)
    {
        var trusted = web.Current.TrustedProxyCidrs;
        if (trusted.Length == 0)
        {
            return next(context);
        }
        var current = _current;
        if (!string.Equals(current.Cidrs, trusted, StringComparison.Ordinal) || current.Handler is null)
        {
            current = (trusted, new ForwardedHeadersMiddleware(next, logs, Options.Create(OptionsFor(trusted))));
            _current = current; // a race builds two equal handlers; either is right
        }
        return current.Handler!.Invoke(context);
    }

    /// <summary>ASP.NET Core's options for a trusted_proxy_cidrs value: its networks only (not the loopback defaults).</summary>
    public static ForwardedHeadersOptions OptionsFor(string trustedCidrs)
    {
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = MaxForwardedHops,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var network in LoginCidrs.Networks(trustedCidrs))
        {
            options.KnownIPNetworks.Add(network);
        }
        return options;
    }
}
