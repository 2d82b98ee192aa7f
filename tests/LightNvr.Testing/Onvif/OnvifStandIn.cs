using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace LightNvr.Testing.Onvif;

/// <summary>
/// A STAND-IN for an ONVIF camera, not a camera: no ONVIF device emulator is packaged anywhere reachable (issue 16
/// item 7), so the tests use this one, written from the ONVIF Core/Device/Media/PTZ/Events WSDLs and specs. It
/// references nothing of the server, so the client's token, digest and parsing are checked by code that did not
/// share them; independent clients (npm <c>onvif</c>) are run against it too. SOAP 1.2 over HTTP (HttpListener on
/// 127.0.0.1) and WS-Discovery over UDP on loopback (<see cref="DiscoveryPort"/>). It checks the UsernameToken
/// digest and that its Created is within <see cref="MaxClockSkew"/> of the stand-in's own clock, which runs
/// <see cref="ClockSkew"/> off the real one; it can demand HTTP Digest instead; it serves the RTSP URIs it was given
/// (a GStreamer camera in the interop tests), keeps a PTZ position and queues motion events for PullMessages.
/// </summary>
public sealed partial class OnvifStandIn : IAsyncDisposable
{
    /// <summary>ONVIF Core §5.12.2.1 lets devices refuse a token whose Created is more than a few minutes off; 5 min here.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    private HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private readonly Lock _lock = new();
    private int _authFailures;

    public OnvifStandIn(string username = "admin", string password = "secret", TimeSpan clockSkew = default,
        string mainUri = "rtsp://127.0.0.1:8554/main", string subUri = "rtsp://127.0.0.1:8554/sub",
        string bindAddress = "127.0.0.1", bool multicast = false)
    {
        BindAddress = IPAddress.Parse(bindAddress);
        Username = username;
        Password = password;
        ClockSkew = clockSkew;
        MainUri = mainUri;
        SubUri = subUri;
        for (var attempt = 0; ; attempt++)
        {
            Port = Random.Shared.Next(20000, 60000);
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://{BindAddress}:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 20)
            {
                _listener = new HttpListener(); // a listener whose Start failed is closed: the next port needs a new one
            }
        }
        _serving = Task.Run(ServeAsync);
        _discovery = StartDiscovery();
        _multicastDiscovery = multicast ? StartMulticastDiscovery() : Task.CompletedTask;
    }

    /// <summary>The address the stand-in listens on (HTTP and WS-Discovery): 127.0.0.1 unless a test gives another.</summary>
    public IPAddress BindAddress { get; }

    /// <summary>Raised with each SOAP operation's name as it arrives (the stand-in process prints them).</summary>
    public event Action<string>? OperationReceived;

    public string Username { get; }
    public string Password { get; set; }
    public TimeSpan ClockSkew { get; }
    public string MainUri { get; }
    public string SubUri { get; }
    public int Port { get; }

    /// <summary>The device service address, as a real camera's ProbeMatch gives it.</summary>
    public Uri DeviceUrl => new($"http://{BindAddress}:{Port}/onvif/device_service");

    /// <summary>When true, the stand-in ignores WS-Security and demands HTTP Digest (RFC 7616, MD5, qop=auth).</summary>
    public bool HttpDigestOnly { get; set; }

    /// <summary>How the next replies misbehave (garbage, huge, endless), for the client's error paths.</summary>
    public StandInMisbehaviour Misbehaviour { get; set; }

    /// <summary>The real clock by default; the stand-in's own clock is this plus <see cref="ClockSkew"/>.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public int AuthFailures => Volatile.Read(ref _authFailures);

    /// <summary>Operations received, in order (body element local names).</summary>
    public List<string> Operations { get; } = [];

    /// <summary>How many times <paramref name="operation"/> was received.</summary>
    public int Count(string operation)
    {
        lock (_lock)
        {
            return Operations.Count(o => o == operation);
        }
    }

    /// <summary>The stand-in's clock: the real one plus <see cref="ClockSkew"/>.</summary>
    public DateTimeOffset Now => Clock.GetUtcNow() + ClockSkew;

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var text = await reader.ReadToEndAsync().ConfigureAwait(false);
            if (Misbehaviour != StandInMisbehaviour.None)
            {
                await MisbehaveAsync(context.Response).ConfigureAwait(false);
                return;
            }
            var envelope = XDocument.Parse(text).Root!;
            var body = envelope.Elements().First(e => e.Name.LocalName == "Body").Elements().First();
            lock (_lock)
            {
                Operations.Add(body.Name.LocalName);
            }
            OperationReceived?.Invoke(body.Name.LocalName);
            var open = body.Name.LocalName is "GetSystemDateAndTime";
            if (!open && !Authenticated(context, envelope))
            {
                Interlocked.Increment(ref _authFailures);
                if (HttpDigestOnly)
                {
                    context.Response.AddHeader("WWW-Authenticate", $"Digest realm=\"{Realm}\", qop=\"auth\", nonce=\"{Convert.ToHexString(RandomNumberGenerator.GetBytes(16))}\", algorithm=MD5");
                    context.Response.StatusCode = 401;
                    context.Response.Close();
                    return;
                }
                await WriteAsync(context.Response, 400, Fault("env:Sender", "ter:NotAuthorized", "Sender not Authorized")).ConfigureAwait(false);
                return;
            }
            var (status, reply) = Reply(body);
            await WriteAsync(context.Response, status, reply).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The client went away (a timeout test), or the stand-in is stopping.
        }
    }

    private static async Task WriteAsync(HttpListenerResponse response, int status, string body)
    {
        var bytes = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + body);
        response.StatusCode = status;
        response.ContentType = "application/soap+xml; charset=utf-8";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        response.Close();
    }

    private async Task MisbehaveAsync(HttpListenerResponse response)
    {
        response.StatusCode = 200;
        response.ContentType = "application/soap+xml; charset=utf-8";
        response.SendChunked = true;
        var chunk = Encoding.UTF8.GetBytes(new string('x', 64 * 1024));
        switch (Misbehaviour)
        {
            case StandInMisbehaviour.Garbage:
                await response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes("<html><body>not soap</body")).ConfigureAwait(false);
                break;
            case StandInMisbehaviour.Huge:
                // 50 MB, chunked (no Content-Length to refuse up front): the client must stop reading at its bound.
                await response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes("<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body><x>")).ConfigureAwait(false);
                for (var sent = 0L; sent < 50L * 1024 * 1024 && !_stop.IsCancellationRequested; sent += chunk.Length)
                {
                    await response.OutputStream.WriteAsync(chunk).ConfigureAwait(false);
                }
                break;
            case StandInMisbehaviour.Endless:
                // A reply that never ends: a byte a second until the client hangs up.
                while (!_stop.IsCancellationRequested)
                {
                    await response.OutputStream.WriteAsync("<"u8.ToArray()).ConfigureAwait(false);
                    await response.OutputStream.FlushAsync().ConfigureAwait(false);
                    await Task.Delay(1000).ConfigureAwait(false);
                }
                break;
        }
        response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Close();
        _udp?.Dispose();
        _multicastSocket?.Dispose();
        await Task.WhenAll(_serving, _discovery, _multicastDiscovery).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        _stop.Dispose();
    }
}
