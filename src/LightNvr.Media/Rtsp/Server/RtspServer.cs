using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace LightNvr.Media.Rtsp.Server;

/// <summary>
/// An RTSP 1.0 server (RFC 2326) that serves stream hubs to players (DESCRIBE, SETUP over TCP interleaved or UDP
/// unicast, PLAY, PAUSE, TEARDOWN, GET_PARAMETER/OPTIONS keep-alive) and accepts publishers (ANNOUNCE, SETUP with
/// mode=record over TCP, RECORD). What a path means and who may use it is the <see cref="IRtspServerHandler"/>'s
/// business. Each connection is independent: a slow or broken client affects only itself.
/// </summary>
/// <remarks>
/// Thread-safety: <see cref="StartAsync"/> once, then <see cref="DisposeAsync"/>; <see cref="Statistics"/> and
/// <see cref="ConnectionCount"/> from any thread.
/// </remarks>
public sealed class RtspServer : IAsyncDisposable
{
    /// <summary>
    /// Connections served at once (a box serves a few dozen). At the cap a new connection closes the oldest
    /// unauthenticated one; only when every connection is authenticated is the new one refused.
    /// </summary>
    public const int MaxConnections = 256;

    /// <summary>
    /// Default of <see cref="RtspServerOptions.MaxUnauthenticatedPerAddress"/>: a player opens one or two connections
    /// before it authenticates; 16 leaves room for a NAT of several, and a flood from one address holds 16 of 256.
    /// </summary>
    public const int DefaultMaxUnauthenticatedPerAddress = 16;

    private readonly RtspServerOptions _options;
    private readonly IRtspServerHandler _handler;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<RtspServerConnection, Task> _connections = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;

    public RtspServer(RtspServerOptions options, IRtspServerHandler handler)
    {
        _options = options;
        _handler = handler;
        SessionVersion = options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
    }

    public RtspServerStatistics Statistics { get; } = new();

    /// <summary>The bound endpoint (the real port when 0 was asked).</summary>
    public IPEndPoint? LocalEndpoint => _listener?.LocalEndPoint as IPEndPoint;

    public int ConnectionCount => _connections.Count;

    /// <summary>The o= line's session id: the server start time, so a restart gives clients a new one.</summary>
    internal long SessionVersion { get; }

    /// <summary>Binds and starts accepting; throws <see cref="SocketException"/> when the port is taken.</summary>
    public Task StartAsync()
    {
        var listener = new Socket(_options.Endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(_options.Endpoint);
            listener.Listen(64);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        _acceptLoop = AcceptLoopAsync(listener, _stopping.Token);
        return Task.CompletedTask;
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // a client that reset before accept
            }

            client.NoDelay = true;
            var connection = new RtspServerConnection(this, client, _options, _handler, ct);
            if (!MakeRoomFor(connection))
            {
                Statistics.CountRefused();
                await connection.DisposeAsync().ConfigureAwait(false);
                continue;
            }

            Statistics.CountConnection();
            _connections[connection] = Task.Run(async () =>
            {
                try
                {
                    await connection.RunAsync().ConfigureAwait(false);
                }
                finally
                {
                    _connections.TryRemove(connection, out _);
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
            }, CancellationToken.None);
        }
    }

    /// <summary>
    /// Admission at accept (see docs/rtsp.md, "Connection limits"): an address over its share of unauthenticated
    /// connections loses its oldest one; at <see cref="MaxConnections"/> the oldest unauthenticated connection of
    /// any address is closed. False (refuse the new one) only when every connection is authenticated.
    /// </summary>
    private bool MakeRoomFor(RtspServerConnection connection)
    {
        var key = AddressKey(connection.RemoteAddress);
        var live = 0;
        var sameAddress = 0;
        RtspServerConnection? oldest = null, oldestOfAddress = null;
        foreach (var other in _connections.Keys)
        {
            if (other.IsClosed)
            {
                continue; // evicted or ending: its slot is as good as free
            }

            live++;
            if (other.IsAuthenticated)
            {
                continue;
            }

            oldest = oldest is null || other.AcceptedAt < oldest.AcceptedAt ? other : oldest;
            if (key.Equals(AddressKey(other.RemoteAddress)))
            {
                sameAddress++;
                oldestOfAddress = oldestOfAddress is null || other.AcceptedAt < oldestOfAddress.AcceptedAt ? other : oldestOfAddress;
            }
        }

        if (sameAddress >= _options.MaxUnauthenticatedPerAddress && oldestOfAddress is not null)
        {
            Evict(oldestOfAddress);
            return true;
        }

        if (live < MaxConnections)
        {
            return true;
        }

        if (oldest is null)
        {
            return false;
        }

        Evict(oldest);
        return true;
    }

    private void Evict(RtspServerConnection connection)
    {
        Statistics.CountEviction();
        connection.Close();
    }

    /// <summary>What counts as one client for the per-address cap: the IPv4 address, or the IPv6 /64 (one subnet).</summary>
    private static IPAddress AddressKey(IPAddress? address)
    {
        if (address is null || address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address ?? IPAddress.None;
        }

        var bytes = address.GetAddressBytes();
        bytes.AsSpan(8).Clear();
        return new IPAddress(bytes);
    }

    /// <summary>Stops accepting, closes every connection (players and publishers) and waits for them.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        await _acceptLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var connection in _connections.Keys)
        {
            connection.Close();
        }

        await Task.WhenAll(_connections.Values).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }
}
