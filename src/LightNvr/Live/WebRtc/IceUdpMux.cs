using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using LightNvr.Media.WebRtc;

namespace LightNvr.Live.WebRtc;

/// <summary>
/// One UDP socket carrying many WebRTC sessions (the fixed <c>[go2rtc] webrtc_listen_port</c>, as go2rtc and MediaMTX
/// do), or one session's own ephemeral socket when no fixed port is used. A receive thread of its own reads every
/// datagram and hands it to a session's <see cref="IceInbox"/>: a STUN Binding request by the first half of its
/// USERNAME (our ufrag, RFC 8445 §7.3), anything else by the remote address a valid check came from
/// (<see cref="Bind"/>). Binding responses go to the server-reflexive probe (<see cref="StunResponse"/>). A Binding
/// request for no session is answered 401; any other datagram nobody owns (or malformed STUN) is dropped and counted.
/// </summary>
internal sealed partial class IceUdpMux : IceLink, IDisposable
{
    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, IceInbox> _byUfrag = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<IPEndPoint, IceInbox> _byAddress = new();
    private readonly Thread _thread;
    private volatile bool _closed;
    private long _dropped;
    private long _unknownChecks;
    private long _received;
    private long _receiveErrors;

    private IceUdpMux(Socket socket, ILogger logger)
    {
        _socket = socket;
        _logger = logger;
        // Every viewer shares this socket's kernel queue: ask for 1 MB (Linux caps it at net.core.rmem_max), and
        // block in the read with a timeout instead of polling first (half the system calls per datagram).
        socket.ReceiveBufferSize = 1 << 20;
        socket.ReceiveTimeout = 200;
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        _thread = new Thread(ReceiveLoop) { IsBackground = true, Name = "webrtc-udp-" + Port };
        _thread.Start();
    }

    /// <summary>The UDP port, on every address (IPv4 and IPv6 when the host has IPv6).</summary>
    public int Port { get; }

    public override string Protocol => "udp";

    /// <summary>Datagrams nobody owns, malformed STUN, and datagrams a full session queue could not take.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Binding requests for no session (answered 401).</summary>
    public long UnknownChecks => Interlocked.Read(ref _unknownChecks);

    /// <summary>Datagrams read, and receive errors (ICMP unreachable reported on the socket) skipped.</summary>
    public (long Received, long Errors, bool Running) Stats =>
        (Interlocked.Read(ref _received), Interlocked.Read(ref _receiveErrors), _thread.IsAlive);

    /// <summary>Sessions registered now.</summary>
    public int Sessions => _byUfrag.Count;

    /// <summary>Called on the receive thread with every STUN Binding response (the server-reflexive probe's).</summary>
    public Action<StunMessage>? StunResponse { get; set; }

    /// <summary>Binds <paramref name="port"/> (0: any free one) on all addresses; <see cref="SocketException"/> when taken.</summary>
    public static IceUdpMux Open(int port, ILogger logger)
    {
        Socket? socket = null;
        try
        {
            socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { DualMode = true };
            socket.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressFamilyNotSupported
                                            or SocketError.ProtocolNotSupported or SocketError.AddressNotAvailable)
        {
            socket?.Dispose();
            socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp); // no IPv6 on this host
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
        }
        catch
        {
            socket?.Dispose();
            throw;
        }

        return new IceUdpMux(socket, logger);
    }

    public void Register(IceInbox inbox) => _byUfrag[inbox.Ufrag] = inbox;

    /// <summary>Forgets a session: its ufrag and every address bound to it.</summary>
    public void Unregister(IceInbox inbox)
    {
        _byUfrag.TryRemove(KeyValuePair.Create(inbox.Ufrag, inbox));
        foreach (var entry in _byAddress)
        {
            if (ReferenceEquals(entry.Value, inbox))
            {
                _byAddress.TryRemove(entry);
            }
        }
    }

    public override void Bind(IPEndPoint remote, IceInbox inbox) => _byAddress[remote] = inbox;

    public override void Send(ReadOnlySpan<byte> datagram, IPEndPoint to)
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

    public void Dispose()
    {
        _closed = true;
        _thread.Join(TimeSpan.FromSeconds(1));
        _socket.Dispose();
    }

    /// <summary>The address as sessions see it: IPv4 for an IPv4 peer on the dual-stack socket.</summary>
    internal static IPEndPoint Normalize(IPEndPoint from) =>
        from.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(from.Address.MapToIPv4(), from.Port) : from;

    private void ReceiveLoop()
    {
        var buffer = new byte[DtlsDatagramTransport.MaxReceiveSize];
        EndPoint any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_closed)
        {
            int received;
            var from = any;
            try
            {
                // The 200 ms receive timeout lets Dispose have the thread back soon.
                received = _socket.ReceiveFrom(buffer, SocketFlags.None, ref from);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                continue;
            }
            catch (SocketException)
            {
                Interlocked.Increment(ref _receiveErrors);
                continue; // ICMP port unreachable from an earlier send (some Linux setups): not fatal
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _received);
            try
            {
                Route(buffer.AsSpan(0, received), Normalize((IPEndPoint)from));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Interlocked.Increment(ref _dropped);
                LogRouteFailed(e.Message);
            }
        }
    }

    private void Route(ReadOnlySpan<byte> datagram, IPEndPoint from)
    {
        if (datagram.IsEmpty)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        if (datagram[0] < 4)
        {
            RouteStun(datagram, from);
        }
        else if (_byAddress.TryGetValue(from, out var inbox))
        {
            Post(inbox, datagram, from);
        }
        else
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private void RouteStun(ReadOnlySpan<byte> datagram, IPEndPoint from)
    {
        if (!StunMessage.TryParse(datagram, out var message))
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        switch (message!.Type)
        {
            case StunMessage.BindingRequest:
                var colon = message.Username?.IndexOf(':', StringComparison.Ordinal) ?? -1;
                if (colon > 0 && _byUfrag.TryGetValue(message.Username![..colon], out var inbox))
                {
                    inbox.PostStun(datagram, from, this); // the session checks MESSAGE-INTEGRITY and answers, on this thread
                    return;
                }

                Interlocked.Increment(ref _unknownChecks);
                Span<byte> error = stackalloc byte[128];
                var n = StunMessage.WriteBindingError(error, message.TransactionId, 401, "Unauthenticated");
                Send(error[..n], from);
                return;
            case StunMessage.BindingSuccess or StunMessage.BindingError when StunResponse is { } handler:
                handler(message);
                return;
            default:
                Interlocked.Increment(ref _dropped);
                return;
        }
    }

    private void Post(IceInbox inbox, ReadOnlySpan<byte> datagram, IPEndPoint from)
    {
        var before = inbox.Dropped;
        inbox.Post(new IceDatagram(datagram.ToArray(), from, this));
        if (inbox.Dropped != before)
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebRTC UDP: a datagram could not be routed: {Reason}")]
    private partial void LogRouteFailed(string reason);
}
