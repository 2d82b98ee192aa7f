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
    /// <summary>Connections served at once; beyond it new ones are closed at accept (a box serves a few dozen).</summary>
    public const int MaxConnections = 256;

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

            if (_connections.Count >= MaxConnections)
            {
                client.Dispose();
                continue;
            }

            client.NoDelay = true;
            Statistics.CountConnection();
            var connection = new RtspServerConnection(this, client, _options, _handler, ct);
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
