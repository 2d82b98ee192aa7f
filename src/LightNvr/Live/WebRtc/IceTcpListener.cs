using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using LightNvr.Media.WebRtc;

namespace LightNvr.Live.WebRtc;

/// <summary>
/// ICE-TCP passive candidates (RFC 6544) on <c>[go2rtc] webrtc_tcp_port</c>, for networks that block UDP: the browser
/// connects, and every STUN, DTLS, SRTP and SRTCP packet travels framed with a 2-byte length (RFC 4571 §2). The first
/// frame of a connection must be a Binding request whose USERNAME names a session (our ufrag); the connection then
/// belongs to that session for its life and closes when the session ends. A connection that sends anything else
/// first, nothing for 10 s, or a frame larger than a UDP datagram would be, is closed and counted.
/// </summary>
internal sealed partial class IceTcpListener : IDisposable
{
    /// <summary>Open connections at most (each is a socket and two small tasks).</summary>
    public const int MaxConnections = 256;

    private static readonly TimeSpan FirstFrameTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _listener;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, IceInbox> _byUfrag = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private int _connections;
    private long _refused;
    private long _accepted;

    private IceTcpListener(Socket listener, ILogger logger)
    {
        _listener = listener;
        _logger = logger;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _accept = AcceptLoopAsync(_stop.Token);
    }

    public int Port { get; }

    /// <summary>Connections closed because they did not start with a check for a session, timed out or misframed.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Connections that opened with a check for a session and were handed to it.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Listens on <paramref name="port"/> (0: any free one) on all addresses; <see cref="SocketException"/> when taken.</summary>
    public static IceTcpListener Open(int port, ILogger logger)
    {
        Socket? socket = null;
        try
        {
            socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
            socket.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressFamilyNotSupported
                                            or SocketError.ProtocolNotSupported or SocketError.AddressNotAvailable)
        {
            socket?.Dispose();
            socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
        }
        catch
        {
            socket?.Dispose();
            throw;
        }

        socket.Listen(64);
        return new IceTcpListener(socket, logger);
    }

    public void Register(IceInbox inbox) => _byUfrag[inbox.Ufrag] = inbox;

    public void Unregister(IceInbox inbox) => _byUfrag.TryRemove(KeyValuePair.Create(inbox.Ufrag, inbox));

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        _accept.Wait(TimeSpan.FromSeconds(2));
    }

    private async Task AcceptLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            if (Interlocked.Increment(ref _connections) > MaxConnections)
            {
                Interlocked.Decrement(ref _connections);
                Interlocked.Increment(ref _refused);
                client.Dispose();
                continue;
            }

            _ = ServeAsync(client, ct);
        }
    }

    private async Task ServeAsync(Socket socket, CancellationToken stop)
    {
        var remote = IceUdpMux.Normalize((IPEndPoint)socket.RemoteEndPoint!);
        socket.NoDelay = true;
        var connection = new Connection(socket);
        try
        {
            using var firstFrame = CancellationTokenSource.CreateLinkedTokenSource(stop);
            firstFrame.CancelAfter(FirstFrameTimeout);
            var first = await ReadFrameAsync(socket, firstFrame.Token).ConfigureAwait(false);
            var inbox = first is null ? null : SessionOf(first);
            if (inbox is null)
            {
                Interlocked.Increment(ref _refused);
                LogRefused(remote.ToString(), first is null ? "no frame" : "first frame is not a check for a session");
                return;
            }

            Interlocked.Increment(ref _accepted);
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(stop, inbox.Ended);
            var writer = connection.WriteLoopAsync(ended.Token);
            inbox.PostStun(first, remote, connection);
            while (await ReadFrameAsync(socket, ended.Token).ConfigureAwait(false) is { } frame)
            {
                if (frame[0] < 4)
                {
                    inbox.PostStun(frame, remote, connection);
                }
                else
                {
                    inbox.Post(new IceDatagram(frame, remote, connection));
                }
            }

            await ended.CancelAsync().ConfigureAwait(false);
            await writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (InvalidDataException e)
        {
            Interlocked.Increment(ref _refused);
            LogRefused(remote.ToString(), e.Message);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
            // the peer went away, the session ended, or the server stops
        }
        finally
        {
            connection.Close();
            Interlocked.Decrement(ref _connections);
        }
    }

    /// <summary>The session a connection's first frame names: a parsable Binding request with our ufrag first.</summary>
    private IceInbox? SessionOf(byte[] frame)
    {
        if (!StunMessage.TryParse(frame, out var message) || message!.Type != StunMessage.BindingRequest)
        {
            return null;
        }

        var colon = message.Username?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return colon > 0 && _byUfrag.TryGetValue(message.Username![..colon], out var inbox) ? inbox : null;
    }

    /// <summary>One RFC 4571 frame; null when the peer closed the connection cleanly between frames.</summary>
    private static async Task<byte[]?> ReadFrameAsync(Socket socket, CancellationToken ct)
    {
        var header = new byte[2];
        if (!await ReadExactlyAsync(socket, header, ct).ConfigureAwait(false))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(header);
        if (length is 0 or > DtlsDatagramTransport.MaxReceiveSize)
        {
            throw new InvalidDataException($"ICE-TCP frame of {length} bytes");
        }

        var frame = new byte[length];
        return await ReadExactlyAsync(socket, frame, ct).ConfigureAwait(false) ? frame : throw new IOException("closed mid-frame");
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken ct)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer[read..], SocketFlags.None, ct).ConfigureAwait(false);
            if (n == 0)
            {
                return read == 0 ? false : throw new IOException("closed mid-frame");
            }

            read += n;
        }

        return true;
    }

    /// <summary>
    /// One ICE-TCP connection as a session's link: sends are framed and queued (never blocking the media path); a
    /// full queue drops the packet, as a congested UDP path would.
    /// </summary>
    private sealed class Connection(Socket socket) : IceLink
    {
        private readonly Channel<byte[]> _out = Channel.CreateBounded<byte[]>(
            new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

        public override string Protocol => "tcp";

        public override void Send(ReadOnlySpan<byte> datagram, IPEndPoint to)
        {
            var frame = new byte[datagram.Length + 2];
            BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)datagram.Length);
            datagram.CopyTo(frame.AsSpan(2));
            _out.Writer.TryWrite(frame);
        }

        public async Task WriteLoopAsync(CancellationToken ct)
        {
            await foreach (var frame in _out.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await socket.SendAsync(frame, SocketFlags.None, ct).ConfigureAwait(false);
            }
        }

        public void Close()
        {
            _out.Writer.TryComplete();
            socket.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebRTC ICE-TCP connection from {Remote} closed: {Reason}")]
    private partial void LogRefused(string remote, string reason);
}
