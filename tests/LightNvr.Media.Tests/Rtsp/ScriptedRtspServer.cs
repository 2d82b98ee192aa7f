using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LightNvr.Media.Rtsp;

namespace LightNvr.Media.Tests.Rtsp;

/// <summary>
/// A MOCK camera, used only for paths a real GStreamer camera cannot show inside a short test: a 2 s session timeout
/// (keep-alive timing), a redirect, a camera that answers SETUP for UDP and then sends nothing. It speaks just enough
/// RTSP (parsed with our own parser) and sends G.711 RTP interleaved every 20 ms while playing.
/// </summary>
internal sealed class ScriptedRtspServer : IAsyncDisposable
{
    private const string Sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=mock\r\nt=0 0\r\na=control:*\r\n" +
                               "m=audio 0 RTP/AVP 0\r\na=control:track1\r\n";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;

    public ScriptedRtspServer()
    {
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Session timeout announced in SETUP replies.</summary>
    public int SessionTimeout { get; init; } = 60;

    /// <summary>Paths answered with 302 and this Location.</summary>
    public Dictionary<string, string> Redirects { get; } = [];

    /// <summary>Send RTP while playing (TCP only; UDP SETUPs are answered but no packet is ever sent).</summary>
    public bool SendRtp { get; init; } = true;

    /// <summary>Header that carries the base URL in DESCRIBE replies (Content-Base, Content-Location or none).</summary>
    public string? BaseHeader { get; init; } = "Content-Base";

    /// <summary>The base URL sent in <see cref="BaseHeader"/>; default: the request URL with a trailing slash.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>After this many packets, stop sending for <see cref="PauseFor"/> (a camera that stalls), then go on.</summary>
    public int? PauseAfterPackets { get; init; }

    public TimeSpan PauseFor { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Every 10th packet, write camera garbage and a server-to-client GET_PARAMETER before it.</summary>
    public bool InjectGarbage { get; init; }

    /// <summary>Responses the client sent back to our server-to-client requests, as "code CSeq".</summary>
    public ConcurrentQueue<string> ClientResponses { get; } = new();

    public string PublicMethods { get; init; } = "OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER";

    /// <summary>Every request received, as "METHOD uri".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var connection = client;
        var stream = client.GetStream();
        var reader = PipeReader.Create(stream);
        var writeLock = new SemaphoreSlim(1, 1);
        Task? rtp = null;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_stop.Token);
                var buffer = result.Buffer;
                while (RtspMessageParser.TryParse(buffer, out var message, out var consumed, out _))
                {
                    buffer = buffer.Slice(consumed);
                    if (message.Response is { } reply)
                    {
                        ClientResponses.Enqueue($"{reply.StatusCode} {reply.CSeq}");
                    }

                    if (message.Request is { } request)
                    {
                        Requests.Enqueue($"{request.Method} {request.Uri}");
                        var response = Answer(request);
                        await Write(stream, writeLock, response.ToArray());
                        if (request.Method == "PLAY" && SendRtp)
                        {
                            rtp ??= SendRtpAsync(stream, writeLock);
                        }
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
        }
    }

    private RtspResponse Answer(RtspRequest request)
    {
        var path = new Uri(request.Uri).AbsolutePath;
        var response = new RtspResponse(200, "OK");
        response.Headers.Add("CSeq", request.Headers["CSeq"] ?? "0");
        if (Redirects.TryGetValue(path, out var location))
        {
            response = new RtspResponse(302, "Moved Temporarily");
            response.Headers.Add("CSeq", request.Headers["CSeq"] ?? "0");
            response.Headers.Add("Location", location);
            return response;
        }

        switch (request.Method)
        {
            case "OPTIONS":
                response.Headers.Add("Public", PublicMethods);
                break;
            case "DESCRIBE":
                response.Headers.Add("Content-Type", "application/sdp");
                if (BaseHeader is not null)
                {
                    response.Headers.Add(BaseHeader, BaseUrl ?? request.Uri.TrimEnd('/') + "/");
                }

                response.Body = Encoding.ASCII.GetBytes(Sdp);
                break;
            case "SETUP":
                response.Headers.Add("Session", $"MOCK1;timeout={SessionTimeout}");
                var transport = request.Headers["Transport"]!;
                response.Headers.Add("Transport", transport.Contains("client_port", StringComparison.Ordinal)
                    ? transport + ";server_port=9-10"
                    : transport);
                break;
        }

        return response;
    }

    private async Task SendRtpAsync(Stream stream, SemaphoreSlim writeLock)
    {
        var frame = new byte[RtspInterleavedFrame.GetSize(12 + 160)];
        ushort seq = 0;
        uint timestamp = 0;
        while (!_stop.IsCancellationRequested)
        {
            var packet = frame.AsSpan(4);
            packet[0] = 0x80;
            packet[1] = 0; // PCMU
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(packet[2..], seq++);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(packet[4..], timestamp += 160);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(packet[8..], 0x1234);
            RtspInterleavedFrame.WriteHeader(0, 12 + 160, frame);
            if (InjectGarbage && seq % 10 == 0)
            {
                await Write(stream, writeLock, [0x00, 0xFF, .. "garbage\r\nnot: rtsp\r\n"u8, 0x80, 0x00]);
                await Write(stream, writeLock, Encoding.ASCII.GetBytes($"GET_PARAMETER rtsp://x/ RTSP/1.0\r\nCSeq: {1000 + seq}\r\n\r\n"));
            }

            await Write(stream, writeLock, frame);
            await Task.Delay(seq == PauseAfterPackets ? PauseFor : TimeSpan.FromMilliseconds(20));
        }
    }

    private async Task Write(Stream stream, SemaphoreSlim writeLock, byte[] bytes)
    {
        await writeLock.WaitAsync(_stop.Token);
        try
        {
            await stream.WriteAsync(bytes, _stop.Token);
        }
        finally
        {
            writeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept;
    }
}
