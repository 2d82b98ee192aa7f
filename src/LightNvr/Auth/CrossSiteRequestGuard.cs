using LightNvr.Json;

namespace LightNvr.Auth;

/// <summary>
/// CSRF defence for the session cookie (the one credential a browser attaches by itself): a state-changing request
/// (POST, PUT, PATCH, DELETE) or a WebSocket handshake authenticated by the cookie must come from this site's own pages:
/// its <c>Origin</c> names this server's host and port, or the browser says <c>Sec-Fetch-Site: same-origin</c> (or
/// <c>none</c>, typed by the user). Otherwise 403. API keys and Basic are never sent by a browser on its own, so they
/// pass; a request with neither header is not from a browser (every current browser sends at least one on these
/// requests) and passes too. Runs after authentication: it needs to know the credential.
/// </summary>
public static class CrossSiteRequestGuard
{
    public const string Refusal = "Cross-site request refused: a request signed in by the session cookie that changes " +
        "state (or opens a WebSocket) must come from this server's own pages; its Origin is {0}, this server is {1}";

    public static IApplicationBuilder UseCrossSiteRequestGuard(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (IsCrossSite(context))
            {
                var origin = context.Request.Headers.Origin.ToString();
                var message = string.Format(System.Globalization.CultureInfo.InvariantCulture, Refusal,
                    origin.Length > 0 ? $"'{origin}'" : "missing", context.Request.Host.Value);
                await Results.Json(new ErrorBody(message), statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });

    /// <summary>True when the request must be refused.</summary>
    public static bool IsCrossSite(HttpContext context)
    {
        var request = context.Request;
        if (!(IsStateChanging(request.Method) || IsWebSocketHandshake(request))
            || Caller.From(context.User)?.Source != Caller.FromSession)
        {
            return false;
        }

        var origin = request.Headers.Origin.ToString();
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (origin.Length == 0 && site.Length == 0)
        {
            return false;
        }

        return !(site is "same-origin" or "none" || (origin.Length > 0 && IsSameHost(origin, request.Host)));
    }

    private static bool IsStateChanging(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    /// <summary>HTTP/1.1 Upgrade: websocket, or HTTP/2's extended CONNECT (RFC 8441).</summary>
    private static bool IsWebSocketHandshake(HttpRequest request) =>
        request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase) || HttpMethods.IsConnect(request.Method);

    /// <summary>
    /// The Origin's host and port against the Host header. The scheme is not compared: behind a TLS proxy the page is
    /// https and this server sees http. A Host without a port matches the Origin scheme's default port.
    /// </summary>
    private static bool IsSameHost(string origin, HostString host)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !host.HasValue)
        {
            return false;
        }

        return string.Equals(uri.IdnHost, host.Host, StringComparison.OrdinalIgnoreCase)
            && (host.Port is { } port ? uri.Port == port : uri.IsDefaultPort);
    }
}
