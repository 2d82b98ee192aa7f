using System.Net;
using System.Net.Sockets;
using System.Text;
using LightNvr.Cameras;
using LightNvr.Live;
using LightNvr.Media;
using LightNvr.Media.Streaming;
using LightNvr.Media.WebRtc;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace LightNvr.Live.WebRtc;

/// <summary>
/// One WebRTC viewer: a UDP socket of its own carrying STUN, DTLS and SRTP/SRTCP, told apart by the first byte
/// (RFC 7983 §7). ICE-lite (RFC 8445 §2.5): the browser checks, the server answers Binding requests that carry its
/// ufrag and pass MESSAGE-INTEGRITY, and takes the address of the nominated (or first valid) check as the peer.
/// DTLS (server, passive) then SRTP media from the hub (<c>WebRtcSession.Media.cs</c>). The session ends when
/// consent expires (no valid check for 30 s, RFC 7675 §5.1), the handshake fails or times out, the DTLS peer
/// closes, the stream goes away, or it is deleted (WHEP DELETE, WebSocket close).
/// </summary>
public sealed partial class WebRtcSession : IAsyncDisposable
{
    /// <summary>RFC 7675 §5.1: consent expires 30 s after the last successful check.</summary>
    public static readonly TimeSpan ConsentTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Largest datagram read: a 1,500-byte MTU; anything larger is not WebRTC from a browser.</summary>
    private const int MaxDatagram = 1500;

    private readonly Socket _socket;
    private readonly WebRtcNegotiation _negotiation;
    private readonly WebRtcLocalParameters _local;
    private readonly HubSubscription _subscription;
    private readonly CameraStream _stream;
    private readonly LiveConsumer _consumer;
    private readonly IReadOnlyList<MediaFrame> _first;
    private readonly DtlsIdentity _identity;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _connectTimeout;
    private readonly CancellationTokenSource _cts = new();
    private readonly DtlsDatagramTransport _dtls;
    private readonly TaskCompletionSource<byte[]> _keys = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly byte[] _localPwd;
    private IPEndPoint? _peer;
    private long _lastConsent;
    private SrtpContext? _receiveSrtp;
    private Task? _run;

    internal WebRtcSession(string id, Socket socket, CameraStream stream, HubSubscription subscription,
        LiveConsumer consumer, IReadOnlyList<MediaFrame> first, WebRtcNegotiation negotiation,
        WebRtcLocalParameters local, DtlsIdentity identity, TimeSpan connectTimeout, TimeProvider time, ILogger logger)
    {
        Id = id;
        _socket = socket;
        _stream = stream;
        _subscription = subscription;
        _consumer = consumer;
        _first = first;
        _negotiation = negotiation;
        _local = local;
        _identity = identity;
        _connectTimeout = connectTimeout;
        _time = time;
        _logger = logger;
        _localPwd = Encoding.UTF8.GetBytes(local.IcePwd);
        _lastConsent = time.GetTimestamp();
        _dtls = new DtlsDatagramTransport(SendToPeer);
        InitMedia();
    }

    /// <summary>Random 128-bit id: the WHEP resource name.</summary>
    public string Id { get; }

    public string StreamName => _stream.Name;

    public LiveConsumer Consumer => _consumer;

    /// <summary>Completes when the session has ended.</summary>
    public Task Completion => _run ?? Task.CompletedTask;

    /// <summary>True once DTLS completed and SRTP keys are in place.</summary>
    public bool Connected => _keys.Task.IsCompletedSuccessfully;

    /// <summary>Why the session ended, once it has.</summary>
    public string? EndReason { get; private set; }

    internal void Start() => _run = RunAsync();

    public void End(string reason)
    {
        EndReason ??= reason;
        _cts.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        End("closed");
        if (_run is not null)
        {
            await _run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _cts.Dispose();
    }

    private async Task RunAsync()
    {
        var ct = _cts.Token;
        var receive = Task.Run(() => ReceiveLoopAsync(ct), CancellationToken.None);
        var handshake = Task.Factory.StartNew(Handshake, CancellationToken.None, TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        try
        {
            using var connect = CancellationTokenSource.CreateLinkedTokenSource(ct);
            connect.CancelAfter(_connectTimeout);
            byte[] keys;
            try
            {
                keys = await _keys.Task.WaitAsync(connect.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                End($"no ICE/DTLS connection within {_connectTimeout.TotalSeconds:0} s");
                return;
            }

            // RFC 5764 §4.2: client key | server key | client salt | server salt; the server sends with its own.
            _receiveSrtp = new SrtpContext(keys.AsSpan(0, 16), keys.AsSpan(32, 14));
            _sendSrtp = new SrtpContext(keys.AsSpan(16, 16), keys.AsSpan(46, 14));
            LogConnected(_stream.Name, _peer?.ToString());
            var consent = WatchConsentAsync(ct);
            await SendLoopAsync(ct).ConfigureAwait(false);
            await consent.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            End(e.Message);
        }
        finally
        {
            EndReason ??= "ended";
            await _cts.CancelAsync().ConfigureAwait(false);
            _dtls.Close();
            _socket.Dispose();
            _subscription.Dispose();
            await receive.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await handshake.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _receiveSrtp?.Dispose();
            _sendSrtp?.Dispose();
            LogEnded(_stream.Name, _peer?.ToString(), EndReason);
        }
    }

    /// <summary>The DTLS server handshake (blocking, on its own thread), then reads records until the peer closes.</summary>
    private void Handshake()
    {
        try
        {
            var crypto = new BcTlsCrypto(new SecureRandom());
            var server = new DtlsSrtpServer(crypto, _identity, _negotiation.Fingerprint);
            var transport = new DtlsServerProtocol().Accept(server, _dtls);
            if (server.KeyingMaterial is null)
            {
                End("DTLS completed without SRTP keys");
                return;
            }

            _keys.TrySetResult(server.KeyingMaterial);
            var buffer = new byte[DtlsDatagramTransport.MaxSendSize];
            while (!_cts.IsCancellationRequested)
            {
                // Keeps answering retransmitted final flights; -1 is a timeout; close_notify throws.
                transport.Receive(buffer, 0, buffer.Length, 1000);
            }
        }
        catch (Exception e) when (e is TlsException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            if (!_keys.Task.IsCompleted)
            {
                _keys.TrySetCanceled();
                End("DTLS handshake failed: " + e.Message);
            }
            else
            {
                End("DTLS closed by the peer");
            }
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        var buffer = new byte[MaxDatagram];
        EndPoint any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!ct.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, ct).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                continue; // ICMP port unreachable from an earlier send (Windows, some Linux setups): not fatal
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            var from = (IPEndPoint)result.RemoteEndPoint;
            var datagram = buffer.AsSpan(0, result.ReceivedBytes);
            if (datagram.IsEmpty)
            {
                continue;
            }

            var first = datagram[0];
            if (first < 4)
            {
                OnStun(datagram, from);
            }
            else if (first is >= 20 and <= 63)
            {
                if (from.Equals(Volatile.Read(ref _peer)))
                {
                    _dtls.Deliver(datagram); // DTLS only from the address ICE validated
                }
            }
            else if (first is >= 128 and <= 191 && datagram.Length >= 8 && datagram[1] is >= 192 and <= 223)
            {
                if (from.Equals(Volatile.Read(ref _peer)))
                {
                    OnRtcp(datagram);
                }
            }
            else if (first is >= 128 and <= 191 && from.Equals(Volatile.Read(ref _peer)))
            {
                OnRtp(datagram); // the browser's microphone (two-way audio, WebRtcSession.Talk.cs)
            }
        }
    }

    private void OnStun(ReadOnlySpan<byte> datagram, IPEndPoint from)
    {
        if (!StunMessage.TryParse(datagram, out var message) || message!.Type != StunMessage.BindingRequest)
        {
            return;
        }

        // RFC 8445 §7.3: USERNAME is "<our ufrag>:<their ufrag>"; integrity with our password.
        var expected = _local.IceUfrag + ":" + _negotiation.RemoteUfrag;
        if (message.Username != expected || !message.CheckIntegrity(datagram, _localPwd))
        {
            Span<byte> error = stackalloc byte[128];
            var n = StunMessage.WriteBindingError(error, message.TransactionId, 401, "Unauthenticated");
            TrySend(error[..n], from);
            return;
        }

        Volatile.Write(ref _lastConsent, _time.GetTimestamp());
        if (Volatile.Read(ref _peer) is null || message.UseCandidate)
        {
            Volatile.Write(ref _peer, from);
        }

        Span<byte> reply = stackalloc byte[128];
        var length = StunMessage.WriteBindingSuccess(reply, message.TransactionId, from, _localPwd);
        TrySend(reply[..length], from);
    }

    private async Task WatchConsentAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), _time, ct).ConfigureAwait(false);
            if (_time.GetElapsedTime(Volatile.Read(ref _lastConsent)) > ConsentTimeout)
            {
                End("ICE consent expired (no check for 30 s)");
                return;
            }
        }
    }

    private void SendToPeer(ReadOnlyMemory<byte> datagram)
    {
        if (Volatile.Read(ref _peer) is { } peer)
        {
            TrySend(datagram.Span, peer);
        }
    }

    private void TrySend(ReadOnlySpan<byte> datagram, IPEndPoint to)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, to);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // UDP: a failed send is a lost packet; consent or the handshake timeout ends a dead session.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "WebRTC viewer of {Stream} connected from {Peer}")]
    private partial void LogConnected(string stream, string? peer);

    [LoggerMessage(Level = LogLevel.Information, Message = "WebRTC viewer of {Stream} ({Peer}) ended: {Reason}")]
    private partial void LogEnded(string stream, string? peer, string? reason);
}
