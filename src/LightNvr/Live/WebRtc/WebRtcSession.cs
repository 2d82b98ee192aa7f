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
/// One WebRTC viewer: STUN, DTLS and SRTP/SRTCP told apart by the first byte (RFC 7983 §7), arriving in the session's
/// <see cref="IceInbox"/> from the shared UDP port (<see cref="IceUdpMux"/>; or a socket of its own when no fixed port
/// is used) or an ICE-TCP connection (<see cref="IceTcpListener"/>). ICE-lite (RFC 8445 §2.5): the browser checks, the server answers Binding requests that carry its
/// ufrag and pass MESSAGE-INTEGRITY, and takes the address of the nominated (or first valid) check as the peer.
/// DTLS (server, passive) then SRTP media from the hub (<c>WebRtcSession.Media.cs</c>). The session ends when
/// consent expires (no valid check for 30 s by default, RFC 7675 §5.1), the handshake fails or times out, the DTLS peer
/// closes, the stream goes away, or it is deleted (WHEP DELETE, WebSocket close).
/// </summary>
public sealed partial class WebRtcSession : IAsyncDisposable
{
    /// <summary>RFC 7675 §5.1: consent expires 30 s after the last successful check.</summary>
    public static readonly TimeSpan DefaultConsentTimeout = TimeSpan.FromSeconds(30);

    private readonly IceInbox _inbox;
    private readonly IDisposable _transport;
    private readonly TimeSpan _consentTimeout;
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
    private IcePeer? _peer;
    private long _lastConsent;
    private SrtpContext? _receiveSrtp;
    private SrtpProfile _srtpProfile;
    private Task? _run;
    private readonly long _createdAt;
    private long _firstCheckAt;
    private long _firstDtlsAt;
    private long _keysAt;
    private long _firstRtpAt;

    /// <param name="transport">What the session's end releases: its registration with the demultiplexers (or its own socket).</param>
    internal WebRtcSession(string id, IceInbox inbox, IDisposable transport, CameraStream stream,
        HubSubscription subscription, LiveConsumer consumer, IReadOnlyList<MediaFrame> first,
        WebRtcNegotiation negotiation, WebRtcLocalParameters local, DtlsIdentity identity, TimeSpan connectTimeout,
        TimeSpan consentTimeout, TimeProvider time, ILogger logger)
    {
        Id = id;
        _inbox = inbox;
        _transport = transport;
        _consentTimeout = consentTimeout;
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
        _dtls = new DtlsDatagramTransport(ReceiveDatagram, SendToPeer);
        inbox.Stun = OnStun; // checks are answered on the demultiplexer's thread (IceInbox.PostStun)
        _createdAt = time.GetTimestamp();
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

    /// <summary>The transport of the candidate pair in use (<c>udp</c>, <c>tcp</c>), null before the first valid check.</summary>
    public string? Transport => Volatile.Read(ref _peer)?.Link.Protocol;

    /// <summary>Datagrams dropped because the session's queue was full (or came after its end).</summary>
    public long DroppedDatagrams => _inbox.Dropped;

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
            (_receiveSrtp, _sendSrtp) = SrtpContext.ForServer(_srtpProfile, keys);
            LogConnected(_stream.Name, _peer?.ToString(), Since(_firstCheckAt), Since(_firstDtlsAt), Since(_keysAt));
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
            _inbox.Complete();
            _transport.Dispose();
            _subscription.Dispose();
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

            Mark(ref _keysAt);
            _srtpProfile = server.Profile;
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
                End("DTLS handshake failed: " + e.Message); // first: the waiter would call a cancelled wait a timeout
                _keys.TrySetCanceled();
            }
            else
            {
                End("DTLS closed by the peer");
            }
        }
    }

    /// <summary>
    /// The session's receive loop, run by BouncyCastle on the DTLS thread through <see cref="DtlsDatagramTransport"/>:
    /// reads its queue for up to <paramref name="waitMillis"/>, takes SRTCP (and talk RTP) as they come, and
    /// returns the length of the first DTLS record from the ICE peer (-1 on timeout, or once the session ends).
    /// </summary>
    private int ReceiveDatagram(Memory<byte> buffer, int waitMillis)
    {
        var deadline = Environment.TickCount64 + waitMillis;
        while (!_cts.IsCancellationRequested)
        {
            var left = deadline - Environment.TickCount64;
            if (left <= 0)
            {
                return -1;
            }

            if (!_inbox.TryTake(out var received, (int)left, _cts.Token))
            {
                continue;
            }

            var datagram = received.Data.AsSpan();
            if (datagram.IsEmpty)
            {
                continue;
            }

            var first = datagram[0];
            if (first < 4)
            {
                OnStun(datagram, received.From, received.Link);
            }
            else if (!IsPeer(received))
            {
                // DTLS, SRTCP and RTP only from the address (and link) ICE validated
            }
            else if (first is >= 20 and <= 63)
            {
                Mark(ref _firstDtlsAt);
                var n = Math.Min(datagram.Length, buffer.Length);
                datagram[..n].CopyTo(buffer.Span);
                return n;
            }
            else if (first is >= 128 and <= 191 && datagram.Length >= 8 && datagram[1] is >= 192 and <= 223)
            {
                OnRtcp(datagram);
            }
            else if (first is >= 128 and <= 191)
            {
                OnRtp(datagram); // the browser's microphone (two-way audio, WebRtcSession.Talk.cs)
            }
        }

        return -1;
    }

    private bool IsPeer(IceDatagram datagram) =>
        Volatile.Read(ref _peer) is { } peer && ReferenceEquals(peer.Link, datagram.Link) && peer.Address.Equals(datagram.From);

    private void OnStun(ReadOnlySpan<byte> datagram, IPEndPoint from, IceLink link)
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
            link.Send(error[..n], from);
            return;
        }

        Volatile.Write(ref _lastConsent, _time.GetTimestamp());
        Mark(ref _firstCheckAt);
        link.Bind(from, _inbox);
        if (Volatile.Read(ref _peer) is null || message.UseCandidate)
        {
            Volatile.Write(ref _peer, new IcePeer(from, link));
        }

        Span<byte> reply = stackalloc byte[128];
        var length = StunMessage.WriteBindingSuccess(reply, message.TransactionId, from, _localPwd);
        link.Send(reply[..length], from);
    }

    private async Task WatchConsentAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, _consentTimeout.TotalMilliseconds / 4)), _time, ct).ConfigureAwait(false);
            if (_time.GetElapsedTime(Volatile.Read(ref _lastConsent)) > _consentTimeout)
            {
                End($"ICE consent expired (no check for {_consentTimeout.TotalSeconds:0.#} s)");
                return;
            }
        }
    }

    private void SendToPeer(ReadOnlyMemory<byte> datagram)
    {
        if (Volatile.Read(ref _peer) is { } peer)
        {
            peer.Link.Send(datagram.Span, peer.Address);
        }
    }

    /// <summary>Records the first time a step happened (a timestamp of <see cref="_time"/>), for the timings.</summary>
    private void Mark(ref long at)
    {
        if (Volatile.Read(ref at) == 0)
        {
            Interlocked.CompareExchange(ref at, _time.GetTimestamp(), 0);
        }
    }

    /// <summary>Milliseconds from the answer (the session's creation) to a marked step; -1 when it did not happen.</summary>
    private long Since(long at) => at == 0 ? -1 : (long)_time.GetElapsedTime(_createdAt, at).TotalMilliseconds;

    /// <summary>
    /// Milliseconds from the answer to the first valid ICE check, the first DTLS record, the SRTP keys and the first
    /// RTP packet sent (-1: not yet): where a slow first picture spent its time (docs/webrtc.md "First picture").
    /// </summary>
    public (long Check, long Dtls, long Keys, long FirstRtp) Timings =>
        (Since(Volatile.Read(ref _firstCheckAt)), Since(Volatile.Read(ref _firstDtlsAt)), Since(Volatile.Read(ref _keysAt)),
            Since(Volatile.Read(ref _firstRtpAt)));

    [LoggerMessage(Level = LogLevel.Information,
        Message = "WebRTC viewer of {Stream} connected from {Peer}: first check {CheckMs} ms, DTLS {DtlsMs} ms, keys {KeysMs} ms after the answer")]
    private partial void LogConnected(string stream, string? peer, long checkMs, long dtlsMs, long keysMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "WebRTC viewer of {Stream}: first RTP {FirstRtpMs} ms after the answer ({Frames} frames of the cached GOP)")]
    private partial void LogFirstRtp(string stream, long firstRtpMs, int frames);

    [LoggerMessage(Level = LogLevel.Information, Message = "WebRTC viewer of {Stream} ({Peer}) ended: {Reason}")]
    private partial void LogEnded(string stream, string? peer, string? reason);
}
