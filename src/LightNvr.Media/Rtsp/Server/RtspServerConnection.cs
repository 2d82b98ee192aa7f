using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using LightNvr.Media.Streaming;

namespace LightNvr.Media.Rtsp.Server;

/// <summary>
/// One client's TCP connection and its (single) session: reads requests and interleaved frames with
/// <see cref="RtspMessageParser"/>, answers each request in order, plays a hub subscription or receives a published
/// stream. Every write (responses, interleaved media) goes through one lock; a write that stalls longer than
/// <see cref="RtspServerOptions.MaxWriteStall"/> ends the connection, so a client that stopped reading costs at most
/// its bounded subscription queue. Malformed input is counted and skipped, never thrown.
/// </summary>
internal sealed partial class RtspServerConnection : IAsyncDisposable
{
    private readonly RtspServer _server;
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly RtspServerOptions _options;
    private readonly IRtspServerHandler _handler;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _cts;
    private long _writeStarted; // timestamp of the write in progress, 0 when none
    private long _lastActivity;
    private long _requestStarted; // when the pending, incomplete message began (accept time for the first); 0 = none
    private volatile bool _authenticated;
    private string? _sessionId;
    private RtspSessionState _state = RtspSessionState.Init;
    private string? _streamName;
    private HubSubscription? _subscription;
    private readonly List<RtspOutgoingTrack> _outgoing = [];
    private readonly List<MediaFrame> _initialFrames = [];
    private Task _playTask = Task.CompletedTask;
    private CancellationTokenSource? _playCts;
    private string? _authorized; // the Authorization value (and stream/access) that last passed, to skip re-checks

    public RtspServerConnection(RtspServer server, Socket socket, RtspServerOptions options, IRtspServerHandler handler,
        CancellationToken serverStopping)
    {
        _server = server;
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _options = options;
        _handler = handler;
        _time = options.TimeProvider;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(serverStopping);
        Remote = socket.RemoteEndPoint?.ToString() ?? "?";
        RemoteAddress = (socket.RemoteEndPoint as IPEndPoint)?.Address is { } remote
            ? remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote
            : null;
        LocalAddress = (socket.LocalEndPoint as IPEndPoint)?.Address ?? IPAddress.Loopback;
        LocalPort = (socket.LocalEndPoint as IPEndPoint)?.Port ?? options.Endpoint.Port;
        _lastActivity = AcceptedAt = _requestStarted = _time.GetTimestamp();
    }

    /// <summary>When the connection was accepted (a <see cref="TimeProvider"/> timestamp): the eviction order.</summary>
    public long AcceptedAt { get; }

    /// <summary>Whether an access check has passed on this connection; such a connection is never evicted.</summary>
    public bool IsAuthenticated => _authenticated;

    /// <summary>Whether the connection is closing or closed (its slot is about to be free).</summary>
    public bool IsClosed => _cts.IsCancellationRequested;

    public string Remote { get; }

    /// <summary>The client's address, IPv4-mapped addresses as IPv4; null when the socket did not say.</summary>
    public IPAddress? RemoteAddress { get; }

    public IPAddress LocalAddress { get; }

    public int LocalPort { get; }

    public RtspSessionState State => _state;

    public string? StreamName => _streamName;

    /// <summary>Runs the connection until the client leaves, an error, a timeout or server shutdown.</summary>
    public async Task RunAsync()
    {
        var ct = _cts.Token;
        var housekeeping = HousekeepingAsync(ct);
        try
        {
            await ReadLoopAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the client went away or we closed it: normal ends of a connection
        }
        finally
        {
            await _cts.CancelAsync().ConfigureAwait(false);
            await StopPlayingAsync().ConfigureAwait(false);
            EndPublishing();
            await housekeeping.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task ReadLoopAsync(CancellationToken ct)
    {
        var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(ct).ConfigureAwait(false);
                var buffer = result.Buffer;
                var parsed = false;
                while (RtspMessageParser.TryParse(buffer, out var message, out var consumed, out var examined))
                {
                    parsed = true;
                    await OnMessageAsync(message).ConfigureAwait(false);
                    buffer = buffer.Slice(consumed);
                    _ = examined;
                }

                // The request timeout runs from the first byte of a message not yet complete.
                if (buffer.IsEmpty)
                {
                    Volatile.Write(ref _requestStarted, 0);
                }
                else if (parsed || Volatile.Read(ref _requestStarted) == 0)
                {
                    Volatile.Write(ref _requestStarted, _time.GetTimestamp());
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask OnMessageAsync(RtspMessage message)
    {
        _lastActivity = _time.GetTimestamp();
        switch (message.Kind)
        {
            case RtspMessageKind.Request:
                _server.Statistics.CountRequest();
                // A handler may verify a password or read the database: not on the thread that completed the read,
                // which may be the socket engine's own (SocketCompletions in the host). Requests are few; the hop is free.
                await Task.Yield();
                RtspResponse response;
                try
                {
                    response = await HandleAsync(message.Request!).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException and not IOException)
                {
                    // Our failure (e.g. no free UDP port), never the client's: answer 500 and keep the connection.
                    _server.Statistics.CountInternalError();
                    response = new RtspResponse(500, "Internal Server Error");
                    response.Headers.Add("CSeq", message.Request!.Headers["CSeq"] ?? "0");
                }

                await WriteResponseAsync(response).ConfigureAwait(false);
                if (response.StatusCode == 200 && message.Request!.Method == "PLAY")
                {
                    StartPlaying(); // after the response: the client expects the reply before the first packet
                }

                break;
            case RtspMessageKind.Interleaved:
                OnInterleaved(message.Channel, message.Payload);
                break;
            case RtspMessageKind.Malformed:
                _server.Statistics.CountMalformed();
                break;
            default:
                break; // responses from a client (to nothing we asked) are ignored
        }
    }

    private async ValueTask WriteResponseAsync(RtspResponse response)
    {
        var bytes = response.ToArray();
        await WriteAsync(bytes, _cts.Token).ConfigureAwait(false);
    }

    /// <summary>Writes bytes under the write lock; a stalled write is ended by the housekeeping loop.</summary>
    internal async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            Volatile.Write(ref _writeStarted, _time.GetTimestamp());
            await _stream.WriteAsync(bytes, ct).ConfigureAwait(false);
            _server.Statistics.CountBytesSent(bytes.Length);
        }
        finally
        {
            Volatile.Write(ref _writeStarted, 0);
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Ends stalled writers, idle UDP sessions, requests not completed within <see cref="RtspServerOptions.RequestTimeout"/>
    /// and unauthenticated connections idle for <see cref="RtspServerOptions.UnauthenticatedIdleTimeout"/>; checks once a second.
    /// </summary>
    private async Task HousekeepingAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _time, ct).ConfigureAwait(false);
                var writeStarted = Volatile.Read(ref _writeStarted);
                var stalled = writeStarted != 0 && _time.GetElapsedTime(writeStarted) > _options.MaxWriteStall;
                var udpIdle = _outgoing.Count > 0 && _outgoing.TrueForAll(t => t.IsUdp) &&
                              _time.GetElapsedTime(Volatile.Read(ref _lastActivity)) > _options.SessionTimeout;
                var requestStarted = Volatile.Read(ref _requestStarted);
                var requestLate = requestStarted != 0 && _time.GetElapsedTime(requestStarted) > _options.RequestTimeout;
                var unauthenticatedIdle = !_authenticated &&
                    _time.GetElapsedTime(Volatile.Read(ref _lastActivity)) > _options.UnauthenticatedIdleTimeout;
                if (stalled || udpIdle || requestLate || unauthenticatedIdle)
                {
                    _server.Statistics.CountTimeout();
                    Close();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Marks the session alive (a request, or RTCP from the client).</summary>
    internal void Touch() => Volatile.Write(ref _lastActivity, _time.GetTimestamp());

    /// <summary>Closes the connection from any thread.</summary>
    public void Close()
    {
        try
        {
            _cts.Cancel();
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        _stream.Dispose();
    }

    private static string NewSessionId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public async ValueTask DisposeAsync()
    {
        Close();
        await StopPlayingAsync().ConfigureAwait(false);
        EndPublishing();
        _cts.Dispose();
        _writeLock.Dispose();
    }
}
