using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace LightNvr.Integrations.Webhooks;

/// <summary>
/// Sends one webhook request (docs/webhooks.md): <c>POST</c> of the JSON body with the timestamp and signature headers,
/// within <see cref="RequestTimeout"/> (on the injected clock). Redirects are never followed by the HTTP stack; this
/// client follows at most <see cref="MaxRedirects"/> of them itself, and only to the same scheme, host and port (the
/// same body, re-signed); a redirect anywhere else ends the attempt, not retryable. Every connection goes through
/// <see cref="WebhookTargets"/>: each address the host resolves to is checked, so no name can point a hook at the
/// NVR's own API. No proxy (the check must see the real target), no cookies.
/// </summary>
public sealed class WebhookClient : IDisposable
{
    /// <summary>One attempt's time, connect to last header: a receiver should answer at once and work afterwards (GitHub allows 10 s too).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Same-host redirects followed at most (an http→https or trailing-slash hop, not a chain).</summary>
    public const int MaxRedirects = 3;

    /// <summary>Response bytes read at most: the body is not used, reading a little lets the connection be reused.</summary>
    public const int MaxResponseBytes = 4096;

    public const string UserAgent = "LightNVR-Webhook/1";

    // Made on the first delivery, typed object so that nothing loads System.Net.Http before a hook fires (a field or
    // constructor naming an HTTP type loads the assembly and its TLS stack: about 2 MB of idle RSS).
    private object? _http;
    private readonly WebhookTargets _targets;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;

    public WebhookClient(WebhookTargets targets, TimeProvider time, TimeSpan? timeout = null)
    {
        _targets = targets;
        _time = time;
        _timeout = timeout ?? RequestTimeout;
    }

    /// <summary>Posts <paramref name="body"/> to <paramref name="url"/> signed with <paramref name="secret"/>.</summary>
    public async Task<WebhookResponse> SendAsync(Uri url, string secret, string kind, long deliveryId, byte[] body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        var target = url;
        for (var hop = 0; ; hop++)
        {
            if (_targets.Problem(target) is { } problem)
            {
                return WebhookResponse.Refused(problem);
            }
            using var request = Request(target, secret, kind, deliveryId, body);
            try
            {
                using var response = await Http().SendAsync(request, linked.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308)
                {
                    var location = response.Headers.Location;
                    if (location is null)
                    {
                        return new WebhookResponse(status, false, false, $"HTTP {status} without a Location");
                    }
                    var next = location.IsAbsoluteUri ? location : new Uri(target, location);
                    if (!SameOrigin(target, next))
                    {
                        return new WebhookResponse(status, false, false, $"redirect to another host ({next.IdnHost}) not followed");
                    }
                    if (hop >= MaxRedirects)
                    {
                        return new WebhookResponse(status, false, false, $"more than {MaxRedirects} redirects");
                    }
                    target = next;
                    continue;
                }
                await DrainAsync(response, linked.Token).ConfigureAwait(false);
                var delivered = status is >= 200 and < 300;
                return new WebhookResponse(status, delivered, !delivered && WebhookRetryPolicy.IsRetryable(status),
                    delivered ? null : $"HTTP {status}", RetryAfter(response));
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                return new WebhookResponse(0, false, true, $"timed out after {_timeout.TotalSeconds:0.#} s");
            }
            catch (HttpRequestException e) when (e.InnerException is WebhookTargetRefusedException refused)
            {
                return WebhookResponse.Refused(refused.Message);
            }
            catch (HttpRequestException e)
            {
                return new WebhookResponse(0, false, true, e.InnerException is SocketException s ? s.SocketErrorCode.ToString() : e.Message);
            }
        }
    }

    public void Dispose() => (_http as IDisposable)?.Dispose();

    private HttpMessageInvoker Http()
    {
        if (_http is HttpMessageInvoker made)
        {
            return made;
        }

        var created = new HttpMessageInvoker(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = _timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2), // a changed DNS answer is seen, and re-checked
            ConnectCallback = ConnectAsync,
        });
        if (Interlocked.CompareExchange(ref _http, created, null) is HttpMessageInvoker other)
        {
            created.Dispose();
            return other;
        }

        return created;
    }

    private HttpRequestMessage Request(Uri target, string secret, string kind, long deliveryId, byte[] body)
    {
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.UserAgent.ParseAdd(UserAgent);
        request.Headers.Add(WebhookSignature.EventHeader, kind);
        request.Headers.Add(WebhookSignature.DeliveryHeader, deliveryId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Compute(secret, timestamp, body));
        return request;
    }

    internal static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _time.GetUtcNow(),
        _ => null,
    };

    private static async Task DrainAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[1024];
            var total = 0;
            int read;
            while (total < MaxResponseBytes && (read = await stream.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                total += read;
            }
        }
    }

    /// <summary>The connect step: resolve, refuse the NVR's own API on any resolved address, connect.</summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        var port = context.DnsEndPoint.Port;
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
        if (addresses.Any(a => _targets.IsOwnApi(a, port)))
        {
            throw new WebhookTargetRefusedException($"{WebhookTargets.OwnApi} ({host} resolves to it)");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, port, ct).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
