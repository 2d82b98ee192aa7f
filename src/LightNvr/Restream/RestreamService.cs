using System.Net;
using System.Net.Sockets;
using LightNvr.Config;
using LightNvr.Hosting;
using LightNvr.Media.Rtsp.Server;

namespace LightNvr.Restream;

/// <summary>
/// Runs the RTSP restream server on <c>[go2rtc] rtsp_port</c> (0 = off), bound to <c>[web] bind_ip</c>, and closes
/// every RTSP client at <see cref="ShutdownPriority.LiveStreaming"/> (before the streaming core stops).
/// A port that cannot be bound is logged and the rest of the server keeps running.
/// </summary>
public sealed partial class RestreamService(
    RestreamHandler handler,
    ConfigSection<Go2rtcOptions> go2rtc,
    ConfigSection<WebOptions> web,
    ShutdownCoordinator shutdown,
    TimeProvider time,
    ILogger<RestreamService> logger) : IHostedService, IAsyncDisposable
{
    private RtspServer? _server;
    private IDisposable? _registration;

    /// <summary>The running server, or null when disabled or not bound.</summary>
    public RtspServer? Server => _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var port = go2rtc.Current.RtspPort;
        if (port == 0)
        {
            LogDisabled();
            return;
        }

        var address = IPAddress.TryParse(web.Current.BindIp, out var ip) ? ip : IPAddress.Any;
        var server = new RtspServer(new RtspServerOptions { Endpoint = new IPEndPoint(address, port), TimeProvider = time },
            handler);
        try
        {
            await server.StartAsync().ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            LogBindFailed(address.ToString(), port, e.Message);
            await server.DisposeAsync().ConfigureAwait(false);
            return;
        }

        _server = server;
        _registration = shutdown.Register("rtsp restream", ShutdownPriority.LiveStreaming, _ => StopServerAsync());
        LogListening(address.ToString(), port);
    }

    public Task StopAsync(CancellationToken cancellationToken) => StopServerAsync();

    private async Task StopServerAsync()
    {
        if (Interlocked.Exchange(ref _server, null) is { } server)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _registration?.Dispose();
        await StopServerAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "RTSP restream server listening on {Address}:{Port}")]
    private partial void LogListening(string address, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "RTSP restream server disabled ([go2rtc] rtsp_port = 0)")]
    private partial void LogDisabled();

    [LoggerMessage(Level = LogLevel.Error, Message = "RTSP restream server cannot listen on {Address}:{Port}: {Reason}")]
    private partial void LogBindFailed(string address, int port, string reason);
}
