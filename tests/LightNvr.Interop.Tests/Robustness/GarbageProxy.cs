using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace LightNvr.Interop.Tests.Robustness;

/// <summary>What <see cref="GarbageProxy"/> does to the camera's interleaved frames right now.</summary>
internal enum GarbageMode
{
    /// <summary>Forward every byte unchanged.</summary>
    Pass,

    /// <summary>Send random bytes (with stray '$') instead of the camera's frames.</summary>
    RandomBytes,

    /// <summary>Valid interleaved framing, malformed RTP inside: bad versions, truncated FU-A, absurd lengths.</summary>
    MalformedRtp,

    /// <summary>The camera's RTP headers (sequence numbers, timestamps, marker) with random payloads behind them.</summary>
    RandomRtp,
}

/// <summary>
/// A garbage camera on loopback. The RTSP dialogue up to PLAY is a real GStreamer camera's (every byte is relayed,
/// so the transcript is a live capture, not a hand-written one); after PLAY the proxy parses the camera's
/// interleaved frames (RFC 2326 §10.12) and, per <see cref="Mode"/>, forwards them, replaces them with random bytes,
/// or mangles the RTP inside valid framing. A mock only in the sense that the bytes are tampered with on purpose.
/// </summary>
internal sealed class GarbageProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _cts = new();
    private readonly Random _random = new(20261122);
    private readonly List<TcpClient> _clients = [];
    private volatile GarbageMode _mode;

    public GarbageProxy(int upstreamPort)
    {
        _upstreamPort = upstreamPort;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public GarbageMode Mode
    {
        get => _mode;
        set => _mode = value;
    }

    /// <summary>
    /// Added to the RTP timestamp of every later packet from now on, in seconds of each track's clock (a camera whose
    /// clock stepped); the clock rates are those of the relayed GStreamer camera (video 90 kHz on channel 0, AAC
    /// 16 kHz on channel 2).
    /// </summary>
    public int TimestampJumpSeconds
    {
        get => _jumpSeconds;
        set => _jumpSeconds = value;
    }

    private volatile int _jumpSeconds;

    /// <summary>Interleaved frames tampered with or replaced so far.</summary>
    public long Tampered => Interlocked.Read(ref _tampered);

    /// <summary>Connections accepted (a reconnect of the client shows here).</summary>
    public int Connections => Volatile.Read(ref _connections);

    private long _tampered;
    private int _connections;

    public string Url(string path) => $"rtsp://127.0.0.1:{Port}/{path}";

    private async Task AcceptLoopAsync()
    {
        while (!_cts.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_cts.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var upstream = new TcpClient();
        lock (_clients)
        {
            _clients.Add(client);
            _clients.Add(upstream);
        }

        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, _cts.Token);
            var down = client.GetStream();
            var up = upstream.GetStream();
            var toCamera = down.CopyToAsync(up, _cts.Token);
            var toClient = CameraToClientAsync(up, down, _cts.Token);
            await Task.WhenAny(toCamera, toClient);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>Relays RTSP replies whole and interleaved frames one by one, tampering per <see cref="Mode"/>.</summary>
    private async Task CameraToClientAsync(Stream camera, Stream client, CancellationToken ct)
    {
        var reader = new BufferedReader(camera);
        while (true)
        {
            var first = await reader.PeekAsync(ct);
            if (first < 0)
            {
                return;
            }

            if (first != '$')
            {
                // An RTSP reply: headers up to CRLFCRLF, then Content-Length bytes of body.
                var head = await reader.ReadUntilAsync("\r\n\r\n"u8.ToArray(), ct);
                var text = System.Text.Encoding.ASCII.GetString(head);
                var length = 0;
                foreach (var line in text.Split("\r\n"))
                {
                    if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    {
                        length = int.Parse(line[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    }
                }

                await client.WriteAsync(head, ct);
                await client.WriteAsync(await reader.ReadExactAsync(length, ct), ct);
                continue;
            }

            var header = await reader.ReadExactAsync(4, ct);
            var payload = await reader.ReadExactAsync(BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2)), ct);
            switch (_mode)
            {
                case GarbageMode.Pass:
                    if (_jumpSeconds != 0 && header[1] is 0 or 2 && payload.Length >= 12)
                    {
                        var rate = header[1] == 0 ? 90000u : 16000u;
                        var ts = BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(4));
                        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(4), unchecked(ts + (uint)_jumpSeconds * rate));
                    }

                    await client.WriteAsync(header, ct);
                    await client.WriteAsync(payload, ct);
                    break;
                case GarbageMode.RandomBytes:
                    var junk = new byte[header.Length + payload.Length];
                    lock (_random)
                    {
                        _random.NextBytes(junk);
                    }

                    Interlocked.Increment(ref _tampered);
                    await client.WriteAsync(junk, ct);
                    break;
                case GarbageMode.RandomRtp:
                    Interlocked.Increment(ref _tampered);
                    if ((header[1] & 1) == 0 && payload.Length > 12)
                    {
                        lock (_random)
                        {
                            _random.NextBytes(payload.AsSpan(12));
                        }
                    }

                    await client.WriteAsync(header, ct);
                    await client.WriteAsync(payload, ct);
                    break;
                case GarbageMode.MalformedRtp:
                    Interlocked.Increment(ref _tampered);
                    var bad = Mangle(header[1], payload);
                    header[2] = (byte)(bad.Length >> 8);
                    header[3] = (byte)bad.Length;
                    await client.WriteAsync(header, ct);
                    await client.WriteAsync(bad, ct);
                    break;
            }
        }
    }

    /// <summary>One of the RTP faults parsers must survive, chosen at random per frame (RTCP channels left alone).</summary>
    private byte[] Mangle(byte channel, byte[] rtp)
    {
        if ((channel & 1) == 1 || rtp.Length < 14)
        {
            return rtp;
        }

        int kind;
        lock (_random)
        {
            kind = _random.Next(7);
        }

        var p = (byte[])rtp.Clone();
        switch (kind)
        {
            case 0: // RTP version 0 / 3
                p[0] = (byte)(p[0] & 0x3F);
                return p;
            case 1: // truncated: header plus the FU indicator only
                return p[..13];
            case 2: // CSRC count 15: the header claims 60 bytes of CSRCs the packet lacks
                p[0] = (byte)(p[0] | 0x0F);
                return p[..Math.Min(p.Length, 20)];
            case 3: // padding flag with a padding length larger than the packet
                p[0] = (byte)(p[0] | 0x20);
                p[^1] = 0xFF;
                return p;
            case 4: // extension flag with an absurd extension length
                p[0] = (byte)(p[0] | 0x10);
                p[12] = 0xBE;
                p[13] = 0xDE;
                if (p.Length > 15)
                {
                    p[14] = 0xFF;
                    p[15] = 0xFF;
                }

                return p;
            case 5: // STAP-A whose first NAL size (65535) exceeds the packet
                p[12] = (byte)((p[12] & 0xE0) | 24);
                if (p.Length > 14)
                {
                    p[13] = 0xFF;
                    p[14] = 0xFF;
                }

                return p;
            default: // FU-A with start and end both set, then cut short
                p[12] = (byte)((p[12] & 0xE0) | 28);
                p[13] = 0xC5;
                return p[..Math.Min(p.Length, 15)];
        }
    }

    public void Dispose()
    {
        _cts.Cancel();
        _listener.Stop();
        lock (_clients)
        {
            foreach (var c in _clients)
            {
                c.Dispose();
            }
        }

        _cts.Dispose();
    }

    /// <summary>A small read-ahead buffer over the camera's socket.</summary>
    private sealed class BufferedReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[128 * 1024];
        private int _start;
        private int _end;

        public async Task<int> PeekAsync(CancellationToken ct) => await FillAsync(1, ct) ? _buffer[_start] : -1;

        public async Task<byte[]> ReadExactAsync(int count, CancellationToken ct)
        {
            if (!await FillAsync(count, ct))
            {
                throw new IOException("camera closed");
            }

            var result = _buffer.AsSpan(_start, count).ToArray();
            _start += count;
            return result;
        }

        public async Task<byte[]> ReadUntilAsync(byte[] terminator, CancellationToken ct)
        {
            for (var need = terminator.Length; ; need++)
            {
                if (!await FillAsync(need, ct))
                {
                    throw new IOException("camera closed");
                }

                if (_buffer.AsSpan(_start, need).EndsWith(terminator))
                {
                    return await ReadExactAsync(need, ct);
                }
            }
        }

        private async Task<bool> FillAsync(int count, CancellationToken ct)
        {
            if (_end - _start >= count)
            {
                return true;
            }

            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
            while (_end < count)
            {
                var n = await stream.ReadAsync(_buffer.AsMemory(_end), ct);
                if (n == 0)
                {
                    return false;
                }

                _end += n;
            }

            return true;
        }
    }
}
