using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;

namespace LightNvr.Onvif;

/// <summary>
/// Sends one SOAP request to a camera service and returns the reply's Body element. Every call is bounded: at most
/// <see cref="MaxReplyBytes"/> are read (a larger reply stops reading there and is an error, so memory stays bounded),
/// and the whole exchange, headers and body, must finish within the timeout (a reply that never ends is cut off).
/// Authentication: the WS-Security UsernameToken in every request with credentials (its time in the camera's clock),
/// and HTTP Digest when the camera answers 401 with a Digest challenge. Errors are <see cref="OnvifException"/>s.
/// </summary>
public sealed class OnvifSoapClient
{
    // The HttpClient, made on the first call and typed object: a field or constructor naming an HTTP type would load
    // System.Net.Http and its TLS stack at start-up (about 2 MB of idle RSS) on a box that has no ONVIF camera.
    private object? _http;
    private readonly TimeProvider time;

    public OnvifSoapClient(TimeProvider time) => this.time = time;

    /// <summary>With a client of the caller's (tests).</summary>
    public OnvifSoapClient(HttpClient http, TimeProvider time)
        : this(time) => _http = http;

    /// <summary>
    /// Largest reply read: 2 MB. The largest real reply in the npm <c>onvif</c> captures (GetCapabilities,
    /// GetProfiles of multi-profile cameras) is under 40 KB; a camera with 32 profiles stays well under 1 MB.
    /// </summary>
    public const int MaxReplyBytes = 2 * 1024 * 1024;

    /// <summary>Default deadline for one call: 10 s (upstream's curl timeout for ONVIF calls is 10 s).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Calls <paramref name="service"/> with <paramref name="body"/>; <paramref name="clockOffset"/> is camera − us.</summary>
    public async Task<XElement> CallAsync(Uri service, string body, OnvifCredentials? credentials, TimeSpan clockOffset,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            using var first = await SendAsync(service, body, credentials, clockOffset, null, deadline.Token).ConfigureAwait(false);
            if (first.StatusCode != HttpStatusCode.Unauthorized || credentials is null)
            {
                return await ReadAsync(first, credentials, deadline.Token).ConfigureAwait(false);
            }
            var challenge = first.Headers.WwwAuthenticate.Select(h => HttpDigest.ParseChallenge(h.ToString()))
                .FirstOrDefault(c => c is not null);
            if (challenge is null)
            {
                throw OnvifException.WrongPassword();
            }
            var authorization = HttpDigest.Authorize(challenge, "POST", service.PathAndQuery, credentials.Username, credentials.Password);
            using var second = await SendAsync(service, body, credentials, clockOffset, authorization, deadline.Token).ConfigureAwait(false);
            return await ReadAsync(second, credentials, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OnvifException(OnvifErrorKind.Timeout, $"the camera did not answer within {Timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            throw new OnvifException(OnvifErrorKind.Unreachable, $"cannot reach the camera at {service.Host}:{service.Port} ({e.Message})", e);
        }
        catch (IOException e)
        {
            throw new OnvifException(OnvifErrorKind.Unreachable, $"the connection to the camera failed ({e.Message})", e);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Uri service, string body, OnvifCredentials? credentials, TimeSpan clockOffset,
        string? authorization, CancellationToken cancellationToken)
    {
        var token = credentials is null ? null : UsernameToken.Create(credentials.Username, credentials.Password, time.GetUtcNow() + clockOffset);
        var request = new HttpRequestMessage(HttpMethod.Post, service)
        {
            Content = new StringContent(SoapEnvelope.Build(body, token), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/soap+xml") { CharSet = "utf-8" };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        return await Http().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<XElement> ReadAsync(HttpResponseMessage response, OnvifCredentials? credentials, CancellationToken cancellationToken)
    {
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw credentials is null
                ? new OnvifException(OnvifErrorKind.Unauthorized, "the camera needs a user name and password")
                : OnvifException.WrongPassword();
        }
        if (response.Content.Headers.ContentLength > MaxReplyBytes)
        {
            throw TooLarge();
        }
        using var buffer = await ReadBoundedAsync(response, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode && buffer.Length == 0)
        {
            throw new OnvifException(OnvifErrorKind.Fault, $"the camera answered HTTP {(int)response.StatusCode}");
        }
        try
        {
            return SoapReply.Body(buffer);
        }
        catch (OnvifException e) when (e.Kind == OnvifErrorKind.BadReply && !response.IsSuccessStatusCode)
        {
            throw response.StatusCode == HttpStatusCode.NotFound
                ? OnvifException.NotSupported("no such service (HTTP 404)")
                : new OnvifException(OnvifErrorKind.Fault, $"the camera answered HTTP {(int)response.StatusCode}");
        }
    }

    private static async Task<MemoryStream> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var _ = stream.ConfigureAwait(false);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxReplyBytes)
            {
                throw TooLarge();
            }
            buffer.Write(chunk, 0, read);
        }
        buffer.Position = 0;
        return buffer;
    }

    private static OnvifException TooLarge() =>
        new(OnvifErrorKind.TooLarge, $"the camera's reply is larger than {MaxReplyBytes / (1024 * 1024)} MB; refused");

    /// <summary>One pooled client: no cookies, no redirects (a camera never needs them), 5 s to connect.</summary>
    private HttpClient Http()
    {
        if (_http is HttpClient made)
        {
            return made;
        }

        var created = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        })
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan, // the client's own deadline covers headers and body
        };
        if (Interlocked.CompareExchange(ref _http, created, null) is HttpClient other)
        {
            created.Dispose();
            return other;
        }

        return created;
    }
}
