using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LightNvr.Media.Rtsp;

namespace LightNvr.Media.Tests.RtspServer;

/// <summary>Sends raw request text to the server and parses what comes back with our own parser.</summary>
internal sealed class RawRtspClient : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly List<byte> _pending = [];
    private NetworkStream _stream = null!;

    private RawRtspClient(IPAddress? local) => _tcp = local is null ? new TcpClient() : new TcpClient(new IPEndPoint(local, 0));

    public List<(byte Channel, byte[] Payload)> Interleaved { get; } = [];

    /// <summary>Connects; <paramref name="local"/> binds the client's address (127.0.0.2 … stand for other hosts).</summary>
    public static async Task<RawRtspClient> ConnectAsync(IPEndPoint server, IPAddress? local = null)
    {
        var client = new RawRtspClient(local);
        await client._tcp.ConnectAsync(server);
        client._stream = client._tcp.GetStream();
        return client;
    }

    public Task SendRawAsync(string text) => _stream.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();

    public Task SendRawAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    /// <summary>Sends a request and returns the next response (interleaved frames before it are collected).</summary>
    public async Task<RtspResponse> RequestAsync(string text)
    {
        await SendRawAsync(text);
        return await NextResponseAsync();
    }

    public async Task<RtspResponse> NextResponseAsync()
    {
        while (true)
        {
            while (TryTake(out var message))
            {
                if (message.Kind == RtspMessageKind.Response)
                {
                    return message.Response!;
                }
            }

            await ReadMoreAsync();
        }
    }

    /// <summary>Reads until <paramref name="count"/> interleaved frames arrived (bounded by the test's timeout).</summary>
    public async Task WaitForInterleavedAsync(int count)
    {
        while (Interleaved.Count < count)
        {
            if (!TryTake(out _))
            {
                await ReadMoreAsync();
            }
        }
    }

    private async Task ReadMoreAsync()
    {
        var buffer = new byte[65536];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var n = await _stream.ReadAsync(buffer, cts.Token);
        if (n == 0)
        {
            throw new IOException("server closed the connection");
        }

        _pending.AddRange(buffer.AsSpan(0, n));
    }

    private bool TryTake(out RtspMessage message)
    {
        var sequence = new ReadOnlySequence<byte>(_pending.ToArray());
        if (!RtspMessageParser.TryParse(sequence, out message, out var consumed, out _))
        {
            return false;
        }

        if (message.Kind == RtspMessageKind.Interleaved)
        {
            Interleaved.Add((message.Channel, message.Payload.ToArray()));
        }

        _pending.RemoveRange(0, (int)sequence.Slice(0, consumed).Length);
        return true;
    }

    public void Dispose() => _tcp.Dispose();
}
