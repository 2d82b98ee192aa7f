using System.Net;
using LightNvr.Media.Sdp;

namespace LightNvr.Media.Rtsp;

/// <summary>
/// The request layer of an RTSP client session (RFC 2326 §10): OPTIONS, DESCRIBE, SETUP, PLAY, GET_PARAMETER and
/// TEARDOWN on one connection, with the Session header, and a single authenticated retry after a 401 challenge.
/// Credentials come from the URL's userinfo and are never sent in a Request-URI or put in a message.
/// </summary>
public sealed class RtspClient : IAsyncDisposable
{
    private readonly RtspClientOptions _options;
    private readonly NetworkCredential? _credential;
    private readonly RtspConnection _connection;
    private RtspAuthenticator? _auth;

    private RtspClient(Uri url, RtspClientOptions options, RtspConnection connection, RtspStatistics stats)
    {
        Url = RtspUrl.WithoutUserInfo(url);
        _credential = RtspUrl.GetCredentials(url);
        _options = options;
        _connection = connection;
        Statistics = stats;
        _connection.UserAgent = options.UserAgent;
    }

    /// <summary>The URL without userinfo.</summary>
    public Uri Url { get; }

    public RtspStatistics Statistics { get; }

    /// <summary>The methods of the last OPTIONS reply's Public header (RFC 2326 §12.28).</summary>
    public IReadOnlySet<string> PublicMethods { get; private set; } = new HashSet<string>();

    public RtspSessionHeader? Session { get; private set; }

    /// <summary>Ends (faulted with <see cref="RtspException"/>) when the TCP connection ends.</summary>
    public Task Completion => _connection.Completion;

    internal RtspConnection Connection => _connection;

    public static async Task<RtspClient> ConnectAsync(Uri url, RtspClientOptions? options = null,
        RtspStatistics? statistics = null, CancellationToken ct = default)
    {
        options ??= new RtspClientOptions();
        var tls = url.Scheme.Equals("rtsps", StringComparison.OrdinalIgnoreCase);
        if (!tls && !url.Scheme.Equals("rtsp", StringComparison.OrdinalIgnoreCase))
        {
            throw new RtspException(null, $"unsupported URL scheme '{url.Scheme}' (rtsp or rtsps only)");
        }

        var stats = statistics ?? new RtspStatistics();
        var connection = await RtspConnection.ConnectAsync(url.IdnHost, RtspUrl.GetPort(url), options.ConnectTimeout,
            stats, options.TimeProvider, ct, tls ? options.Tls : null);
        return new RtspClient(url, options, connection, stats);
    }

    public async Task<RtspResponse> OptionsAsync(CancellationToken ct)
    {
        var response = await SendAsync("OPTIONS", Url.AbsoluteUri, null, ct);
        if (response.IsSuccess && response.Headers["Public"] is { } methods)
        {
            PublicMethods = methods.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
        }

        return response;
    }

    /// <summary>
    /// DESCRIBE (RFC 2326 §10.2). Returns the response (a 3xx is the caller's to follow), and for a 2xx the SDP and
    /// the base URL for relative controls: Content-Base, else Content-Location, else the request URL (RFC 2326 §C.1.1).
    /// </summary>
    public async Task<(RtspResponse Response, SdpSessionDescription? Sdp, string BaseUrl)> DescribeAsync(CancellationToken ct)
    {
        var headers = new RtspHeaders();
        headers.Add("Accept", "application/sdp");
        var response = await SendAsync("DESCRIBE", Url.AbsoluteUri, headers, ct);
        var baseUrl = Url.AbsoluteUri;
        if (!response.IsSuccess)
        {
            return (response, null, baseUrl);
        }

        if (!SdpSessionDescription.TryParse(response.Body.Span, out var sdp, out var error))
        {
            throw new RtspException("DESCRIBE", $"bad SDP: {error}");
        }

        var contentBase = response.Headers["Content-Base"] ?? response.Headers["Content-Location"];
        if (!string.IsNullOrWhiteSpace(contentBase))
        {
            baseUrl = RtspUrl.Redact(contentBase.Trim());
        }

        // A session-level control that is an absolute URL replaces the base (RFC 2326 §C.1.1).
        if (sdp!.Control is { } control && control != "*")
        {
            baseUrl = RtspUrl.Redact(RtspUrl.ResolveControl(baseUrl, control));
        }

        return (response, sdp, baseUrl);
    }

    /// <summary>SETUP (RFC 2326 §10.4) of one media; records the Session header of the first reply.</summary>
    public async Task<RtspTransportHeader> SetupAsync(string controlUrl, RtspTransportHeader transport, CancellationToken ct,
        RtspHeaders? extra = null)
    {
        var headers = new RtspHeaders();
        foreach (var (name, value) in extra ?? [])
        {
            headers.Add(name, value);
        }

        headers.Add("Transport", transport.ToString());
        var response = await SendAsync("SETUP", controlUrl, headers, ct);
        EnsureSuccess("SETUP", response);
        if (Session is null && RtspSessionHeader.TryParse(response.Headers["Session"], out var session))
        {
            Session = session;
        }

        if (!RtspTransportHeader.TryParse(response.Headers["Transport"], out var reply))
        {
            throw new RtspException("SETUP", "reply without a usable Transport header");
        }

        return reply;
    }

    /// <summary>PLAY (RFC 2326 §10.5) of the aggregate URL from the start of the live stream.</summary>
    public async Task PlayAsync(string aggregateUrl, CancellationToken ct)
    {
        var headers = new RtspHeaders();
        headers.Add("Range", "npt=0.000-");
        EnsureSuccess("PLAY", await SendAsync("PLAY", aggregateUrl, headers, ct));
    }

    /// <summary>
    /// Keeps the session alive (RFC 2326 §12.37): GET_PARAMETER when the camera lists it in Public, else OPTIONS,
    /// which every camera answers (RFC 7826 §10.5 recommends either).
    /// </summary>
    public async Task KeepAliveAsync(string aggregateUrl, CancellationToken ct)
    {
        var method = PublicMethods.Contains("GET_PARAMETER") ? "GET_PARAMETER" : "OPTIONS";
        var response = await SendAsync(method, method == "OPTIONS" ? Url.AbsoluteUri : aggregateUrl, null, ct);
        Statistics.AddKeepAlive();
        EnsureSuccess(method, response);
    }

    public async Task TeardownAsync(string aggregateUrl, CancellationToken ct) =>
        await SendAsync("TEARDOWN", aggregateUrl, null, ct);

    /// <summary>Sends a request with Session and Authorization; on 401 with a challenge, retries once authenticated.</summary>
    public async Task<RtspResponse> SendAsync(string method, string url, RtspHeaders? headers, CancellationToken ct)
    {
        var response = await SendOnceAsync(method, url, headers, ct);
        if (response.StatusCode != 401)
        {
            return response;
        }

        var challenges = response.Headers.GetAll("WWW-Authenticate").ToList();
        if (_credential is null)
        {
            throw new RtspException(method, 401, "Unauthorized: the camera requires credentials and the URL has none");
        }

        // Answer the challenge of this 401, whether it is the first one, a rotated nonce or stale=true
        // (RFC 7616 §3.3); a second 401 to the same request means the credentials are wrong.
        _auth = RtspAuthenticator.Create(_credential, challenges)
                ?? throw new RtspException(method, 401, "Unauthorized: no supported authentication scheme offered");
        response = await SendOnceAsync(method, url, headers, ct);
        if (response.StatusCode == 401)
        {
            throw new RtspException(method, 401, "Unauthorized: the camera rejected the user name or password");
        }

        return response;
    }

    private Task<RtspResponse> SendOnceAsync(string method, string url, RtspHeaders? headers, CancellationToken ct)
    {
        var request = new RtspRequest(method, url);
        if (headers is not null)
        {
            foreach (var (name, value) in headers)
            {
                request.Headers.Add(name, value);
            }
        }

        if (Session is { } session)
        {
            request.Headers.Set("Session", session.Id);
        }

        if (_auth is not null)
        {
            request.Headers.Set("Authorization", _auth.GetAuthorization(method, url));
        }

        return _connection.SendAsync(request, _options.RequestTimeout, ct);
    }

    private static void EnsureSuccess(string method, RtspResponse response)
    {
        if (!response.IsSuccess)
        {
            throw new RtspException(method, response.StatusCode, response.ReasonPhrase);
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
