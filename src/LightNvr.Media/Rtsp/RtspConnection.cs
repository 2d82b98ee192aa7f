using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace LightNvr.Media.Rtsp;

/// <summary>
/// One RTSP TCP connection: writes requests, matches responses by CSeq (one request in flight at a time, as cameras
/// expect) and hands interleaved frames to <see cref="Interleaved"/> on the read loop. The read loop is the thin
/// async shell around <see cref="RtspMessageParser"/>; it ends when the peer closes, and then
/// <see cref="Completion"/> completes with an <see cref="RtspException"/>.
/// </summary>
internal sealed class RtspConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly Socket _socket;
    private readonly Stream _stream;

    /// <summary>RTSP over TLS (rtsps): reads are not paced (TLS records sit in SslStream's buffer, not the socket's).</summary>
    private readonly bool _tls;
    private readonly PipeReader _reader;
    private readonly RtspStatistics _stats;
    private readonly TimeProvider _time;
    /// <summary>A read this big may not have drained the socket (reads take up to 64 KB), so it is not paced.</summary>
    private const int PacedReadLimit = 16 * 1024;

    /// <summary>
    /// SO_RCVLOWAT while reads are paced: the kernel then signals the socket engine only once this much is queued
    /// (never, for a camera between ticks), instead of on every packet. Also the TCP window the kernel allows
    /// (Linux sets window_clamp to it), so it holds well over a tick of a 16 Mbit/s camera.
    /// </summary>
    private const int PacedLowWater = 1024 * 1024;

    private readonly SemaphoreSlim _requestLock = new(1, 1);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _readLoop;
    private TaskCompletionSource<RtspResponse>? _pending;
    private int _pendingCSeq;
    private int _cseq;
    private bool _lowWaterRaised;
    private bool _lowWaterUnsupported;

    private RtspConnection(TcpClient tcp, Stream stream, RtspStatistics stats, TimeProvider time,
        InterleavedFrameHandler? interleaved)
    {
        _tcp = tcp;
        _socket = tcp.Client;
        _stream = stream;
        _tls = stream is SslStream;
        var address = (tcp.Client.RemoteEndPoint as IPEndPoint)?.Address;
        RemoteAddress = address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        _stats = stats;
        _time = time;
        Interleaved = interleaved;
        _readLoop = Task.Run(ReadLoopAsync);
    }

    /// <summary>Receives interleaved frames; the payload is valid only during the call.</summary>
    public delegate void InterleavedFrameHandler(byte channel, in ReadOnlySequence<byte> payload);

    public InterleavedFrameHandler? Interleaved { get; set; }

    /// <summary>
    /// Called on the read loop when it is about to wait (for the camera, or for the pacer's tick): what was
    /// dispatched since the last call is one burst. Reads that complete at once (a paced tick's backlog, taken in
    /// 64 KB reads) make one burst together.
    /// </summary>
    public Action? BurstEnded { get; set; }

    /// <summary>
    /// Paced reading (set once playing): after a read that drained the socket, the loop waits for the pacer's next
    /// tick instead of the next packet whenever <see cref="PaceReads"/> says the consumers accept batches.
    /// </summary>
    public Streaming.ReceivePacer? Pacer { get; set; }

    /// <summary>Asked after every read while <see cref="Pacer"/> is set.</summary>
    public Func<bool>? PaceReads { get; set; }

    public string? UserAgent { get; set; }

    /// <summary>The camera's address as connected (names resolved), for UDP binding and source filtering.</summary>
    public IPAddress? RemoteAddress { get; }

    /// <summary>Completes (faulted with <see cref="RtspException"/>) when the connection ends for any reason.</summary>
    public Task Completion => _readLoop;

    /// <summary>
    /// Connects (and, with <paramref name="tls"/>, negotiates TLS checking the certificate for <paramref name="host"/>)
    /// within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<RtspConnection> ConnectAsync(string host, int port, TimeSpan timeout, RtspStatistics stats,
        TimeProvider time, CancellationToken ct, CameraTlsOptions? tls = null)
    {
        var tcp = new TcpClient { NoDelay = true };
        using var timeoutCts = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeoutCts.Token);
        try
        {
            await tcp.ConnectAsync(host, port, linked.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            tcp.Dispose();
            ct.ThrowIfCancellationRequested();
            var reason = e is SocketException se ? se.SocketErrorCode.ToString() : $"no answer within {timeout.TotalSeconds:0.#} s";
            throw new RtspException(null, $"cannot connect to {host}:{port}: {reason}", e);
        }

        if (tls is null)
        {
            return new RtspConnection(tcp, tcp.GetStream(), stats, time, null);
        }

        string? refused = null;
        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, tls.CreateValidator(why => refused = why));
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, linked.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or AuthenticationException or IOException)
        {
            await ssl.DisposeAsync();
            tcp.Dispose();
            ct.ThrowIfCancellationRequested();
            var reason = refused ?? (e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0.#} s" : e.Message);
            throw new RtspException(null, $"TLS with {host}:{port} failed: {reason}", e);
        }

        return new RtspConnection(tcp, ssl, stats, time, null);
    }

    /// <summary>Sends <paramref name="request"/> (setting CSeq and User-Agent) and waits for its response.</summary>
    public async Task<RtspResponse> SendAsync(RtspRequest request, TimeSpan timeout, CancellationToken ct)
    {
        await _requestLock.WaitAsync(ct);
        try
        {
            var tcs = new TaskCompletionSource<RtspResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
            var cseq = Interlocked.Increment(ref _cseq);
            request.Headers.Set("CSeq", cseq.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (UserAgent is not null && !request.Headers.Contains("User-Agent"))
            {
                request.Headers.Add("User-Agent", UserAgent);
            }

            Volatile.Write(ref _pendingCSeq, cseq);
            Volatile.Write(ref _pending, tcs);
            if (_readLoop.IsCompleted)
            {
                throw new RtspException(request.Method, "connection closed");
            }

            await WriteAsync(request.ToArray(), ct);
            try
            {
                // The read loop ending (peer closed) fails the request at once rather than at its timeout.
                var first = await Task.WhenAny(tcs.Task, _readLoop).WaitAsync(timeout, _time, ct);
                if (first != tcs.Task && !tcs.Task.IsCompleted)
                {
                    throw new RtspException(request.Method, "connection closed by the camera");
                }

                return await tcs.Task;
            }
            catch (TimeoutException e)
            {
                throw new RtspException(request.Method, $"no response within {timeout.TotalSeconds:0.#} s", e);
            }
        }
        finally
        {
            Volatile.Write(ref _pending, null);
            _requestLock.Release();
        }
    }

    /// <summary>Writes raw bytes (a request, or an interleaved RTCP frame) under the write lock.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            await _stream.WriteAsync(bytes, ct);
        }
        catch (IOException e)
        {
            throw new RtspException(null, "connection lost while sending", e);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        Exception? failure = null;
        try
        {
            long carried = 0; // bytes left unparsed by the previous read
            while (true)
            {
                var read = _reader.ReadAsync(_stop.Token);
                if (!read.IsCompleted)
                {
                    BurstEnded?.Invoke();
                }

                var result = await read;
                var buffer = result.Buffer;
                var before = buffer.Length;
                var fresh = before - carried;
                SequencePosition consumed;
                SequencePosition examined;
                while (RtspMessageParser.TryParse(buffer, out var message, out consumed, out examined))
                {
                    Dispatch(message);
                    buffer = buffer.Slice(consumed);
                }

                buffer = buffer.Slice(consumed);
                carried = buffer.Length;
                _stats.AddBytes(before - buffer.Length);
                _reader.AdvanceTo(consumed, examined);
                if (result.IsCompleted || result.IsCanceled)
                {
                    failure = new RtspException(null, "connection closed by the camera");
                    break;
                }

                // A big read may have left more in the socket: read on at once. A small one drained it.
                if (!_tls && fresh < PacedReadLimit && Pacer is { } pacer && PaceReads?.Invoke() == true)
                {
                    BurstEnded?.Invoke();
                    await pacer.NextTickAsync();
                    _stop.Token.ThrowIfCancellationRequested();
                    // Data waiting: the read completes at once, and the kernel stays quiet until the next tick.
                    // Nothing yet (camera stalled): an ordinary read that the next packet wakes.
                    SetLowWater(raised: _socket.Available > 0);
                }
                else
                {
                    SetLowWater(raised: false);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            failure = new RtspException(null, "connection closed");
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            failure = new RtspException(null, "connection lost: " + e.Message, e);
        }

        BurstEnded?.Invoke(); // what the last reads brought still reaches the sink
        Volatile.Read(ref _pending)?.TrySetException(failure);
        throw failure;
    }

    private void SetLowWater(bool raised)
    {
        if (raised == _lowWaterRaised || _lowWaterUnsupported)
        {
            return;
        }

        try
        {
            _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveLowWater,
                raised ? PacedLowWater : 1);
            _lowWaterRaised = raised;
        }
        catch (SocketException)
        {
            _lowWaterUnsupported = true; // pacing still works; the kernel just signals every packet
        }
    }

    private void Dispatch(in RtspMessage message)
    {
        switch (message.Kind)
        {
            case RtspMessageKind.Interleaved:
                if (Interleaved is { } handler)
                {
                    handler(message.Channel, message.Payload);
                }
                else
                {
                    _stats.AddDroppedPacket();
                }

                break;
            case RtspMessageKind.Response:
                var pending = Volatile.Read(ref _pending);
                if (pending is not null && message.Response!.CSeq is var cseq &&
                    (cseq == Volatile.Read(ref _pendingCSeq) || cseq < 0))
                {
                    pending.TrySetResult(message.Response);
                }

                break;
            case RtspMessageKind.Request:
                // A server-to-client request (RFC 2326 §10: some cameras ping with OPTIONS or GET_PARAMETER): answer
                // so the camera does not drop us; anything else (ANNOUNCE, REDIRECT) is declined.
                _ = ReplyAsync(message.Request!);
                break;
            case RtspMessageKind.Malformed:
                _stats.AddMalformedMessage();
                break;
        }
    }

    private async Task ReplyAsync(RtspRequest request)
    {
        var ok = request.Method is "OPTIONS" or "GET_PARAMETER";
        var response = new RtspResponse(ok ? 200 : 501, ok ? "OK" : "Not Implemented");
        response.Headers.Add("CSeq", request.Headers["CSeq"] ?? "0");
        try
        {
            await WriteAsync(response.ToArray(), _stop.Token);
        }
        catch (Exception e) when (e is RtspException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection is going away; the read loop reports that.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_tls)
        {
            await _stream.DisposeAsync();
        }

        _tcp.Dispose();
        try
        {
            await _readLoop;
        }
        catch (RtspException)
        {
        }

        await _reader.CompleteAsync();
        _stop.Dispose();
        _requestLock.Dispose();
        _writeLock.Dispose();
    }
}
