using LightNvr.Api.Http;
using LightNvr.Data;
using LightNvr.Recording;

namespace LightNvr.Api.Recordings;

/// <summary>
/// A recording whose file another recorder node wrote (docs/scale.md "Playback from any node"): when the file is not
/// on this node's disk and the row names another node, the request is passed to that node's <c>[cluster] api_url</c>
/// (its <c>nodes.address</c>, the only place a request can go: never a caller-given URL), same path and query, with the
/// caller's credentials (sessions and API keys live in the shared database, so they are valid there too), its Range /
/// If-Range / validator headers, and <c>X-Forwarded-For</c>. The owner's answer (200, 206 + Content-Range, 304, 416,
/// its headers and body) comes back unchanged. The caller's access (role, tags) was checked here first; the owner
/// checks again against the same database. A proxied request is never proxied again (<see cref="Header"/>). Owner
/// unreachable: 502; no answer within <see cref="Timeout"/>: 504.
/// </summary>
public static class NodeProxy
{
    /// <summary>Set on a proxied request (the sending node's id): the owner serves its own file or answers 404.</summary>
    public const string Header = "X-LightNVR-Proxied-By";

    /// <summary>How long the owner may take to start answering (a thumbnail may be generated first).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>One client for every node-to-node request (connection pooling per owner; no redirects, no cookies jar).</summary>
    internal static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(5),
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = global::System.Net.DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    { Timeout = global::System.Threading.Timeout.InfiniteTimeSpan };

    private static readonly string[] RequestHeaders =
        ["Authorization", "Cookie", "Range", "If-Range", "If-None-Match", "If-Modified-Since", "Accept", "X-API-Key", "User-Agent"];

    /// <summary>Credentials only (no Range or validators): what a node-to-node fetch of a whole file carries.</summary>
    internal static readonly string[] CredentialHeaders = ["Authorization", "Cookie", "X-API-Key", "User-Agent"];

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Server", "Date",
    };

    /// <summary>
    /// The proxy to <paramref name="nodeId"/>'s API when that is another live-or-registered node of this cluster and the
    /// request did not come from a node already; null when the file simply is not there (404 stays the answer).
    /// </summary>
    public static async Task<IResult?> ToOwnerAsync(string nodeId, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await OwnerAsync(nodeId, context).ConfigureAwait(false) is not { } owner)
        {
            return null;
        }
        var target = new Uri(owner.BaseUrl + context.Request.Path.ToUriComponent() + context.Request.QueryString.ToUriComponent());
        return new ProxyResult(target, nodeId, owner.Me);
    }

    /// <summary>
    /// <paramref name="nodeId"/>'s registered API base (its <c>nodes.address</c>: scheme, authority and path, no trailing
    /// '/') and this node's id, when <paramref name="nodeId"/> is another node of this cluster and the request did not
    /// come from a node already; else null.
    /// </summary>
    internal static async Task<(string BaseUrl, string Me)?> OwnerAsync(string nodeId, HttpContext context)
    {
        var services = context.RequestServices;
        if (nodeId.Length == 0 || context.Request.Headers.ContainsKey(Header)
            || services.GetService<RecordingLeases>() is not { Enabled: true } leases || nodeId == leases.NodeId
            || services.GetService<LeaseStore>() is not { } store)
        {
            return null;
        }
        var node = (await store.ListNodesAsync(context.RequestAborted).ConfigureAwait(false))
            .FirstOrDefault(n => n.NodeId == nodeId);
        if (node is null || !Uri.TryCreate(node.Address, UriKind.Absolute, out var baseUri)
            || baseUri.Scheme is not ("http" or "https"))
        {
            return null;
        }
        return (baseUri.GetLeftPart(UriPartial.Authority) + baseUri.AbsolutePath.TrimEnd('/'), leases.NodeId);
    }

    /// <summary>
    /// The caller's credentials (and <paramref name="names"/> beyond them) as received, <c>X-Forwarded-For</c> with the
    /// caller's address appended, and <see cref="Header"/> naming this node, so the owner judges the same caller and
    /// never passes the request on again.
    /// </summary>
    internal static void AddCallerHeaders(HttpContext httpContext, HttpRequestMessage message, string me, IEnumerable<string> names)
    {
        var request = httpContext.Request;
        foreach (var name in names)
        {
            if (request.Headers.TryGetValue(name, out var values))
            {
                message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }
        var forwarded = request.Headers["X-Forwarded-For"].ToString();
        var client = httpContext.Connection.RemoteIpAddress?.ToString() ?? "";
        message.Headers.TryAddWithoutValidation("X-Forwarded-For", forwarded.Length > 0 ? forwarded + ", " + client : client);
        message.Headers.TryAddWithoutValidation(Header, me);
    }

    private sealed class ProxyResult(Uri target, string owner, string me) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var request = httpContext.Request;
            using var message = new HttpRequestMessage(HttpMethods.IsHead(request.Method) ? HttpMethod.Head : HttpMethod.Get, target);
            AddCallerHeaders(httpContext, message, me, RequestHeaders);

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted);
            timeout.CancelAfter(Timeout);
            HttpResponseMessage answer;
            try
            {
                answer = await Client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                await ApiErrors.Status(StatusCodes.Status502BadGateway,
                    $"The recording is stored on node {owner}, which cannot be reached: {e.Message}").ExecuteAsync(httpContext).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (!httpContext.RequestAborted.IsCancellationRequested)
            {
                await ApiErrors.Status(StatusCodes.Status504GatewayTimeout,
                    $"The recording is stored on node {owner}, which did not answer within {Timeout.TotalSeconds:0} s").ExecuteAsync(httpContext).ConfigureAwait(false);
                return;
            }
            timeout.CancelAfter(global::System.Threading.Timeout.InfiniteTimeSpan); // the body may take as long as it takes

            using (answer)
            {
                var response = httpContext.Response;
                response.StatusCode = (int)answer.StatusCode;
                foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
                {
                    if (!HopByHop.Contains(name))
                    {
                        response.Headers[name] = values.ToArray();
                    }
                }
                response.Headers["X-LightNVR-Served-By"] = owner;
                if (HttpMethods.IsHead(request.Method))
                {
                    return;
                }
                await using var body = await answer.Content.ReadAsStreamAsync(httpContext.RequestAborted).ConfigureAwait(false);
                await body.CopyToAsync(response.Body, httpContext.RequestAborted).ConfigureAwait(false);
            }
        }
    }
}
