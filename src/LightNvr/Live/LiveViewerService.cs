using LightNvr.Cameras;
using LightNvr.Media;

namespace LightNvr.Live;

/// <summary>
/// Serves live viewers of one stream: the MSE WebSocket (go2rtc protocol) and progressive fMP4 over chunked HTTP.
/// Each viewer is one hub subscription; the camera connection is shared (and opened on demand for streams that are
/// not recorded).
/// </summary>
public sealed class LiveViewerService(LiveConsumers consumers, TimeProvider time, ILoggerFactory loggers,
    WebRtc.WebRtcSessions? webrtc = null)
{
    /// <summary>
    /// Kernel send buffer of a viewer's socket. Linux autotunes it up to tcp_wmem's 4 MB, which hides a stalled viewer
    /// for half a minute at 600 kbit/s; 128 KB is about 0.5 s of a 2 Mbit/s camera, so a viewer that stops reading
    /// blocks its own writer within a second or two and is then handled by the hub queue (drops) and the send stall.
    /// </summary>
    public const int MaxSocketSendBuffer = 128 * 1024;

    private readonly ILogger _logger = loggers.CreateLogger<MseSession>();

    public async Task RunWebSocketAsync(HttpContext context, CameraStream stream)
    {
        LimitSendBuffer(context);
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var consumer = NewConsumer(context, stream, LiveFormats.Mse, "ws");
        await new MseSession(socket, stream, consumer, consumers, time, _logger, webrtc, context.Connection.LocalIpAddress).RunAsync(context.RequestAborted)
            .ConfigureAwait(false);
        if (socket.State is System.Net.WebSockets.WebSocketState.Open or System.Net.WebSockets.WebSocketState.CloseReceived)
        {
            using var close = new CancellationTokenSource(TimeSpan.FromSeconds(1), time);
            await socket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, close.Token)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// go2rtc's <c>stream.mp4</c>: video/mp4 until the client leaves (or <c>duration</c> seconds). The response starts
    /// once the first keyframe is there, so an unplayable stream still gets a clean error status (the refusal).
    /// </summary>
    public async Task<LiveRefusal?> RunMp4Async(HttpContext context, CameraStream stream, TimeSpan? duration)
    {
        var consumer = NewConsumer(context, stream, LiveFormats.Mp4, "http");
        using var registration = consumers.Add(consumer);
        using var subscription = LiveSubscriber.Subscribe(stream, consumer);
        var ct = context.RequestAborted;
        var start = await LiveSubscriber.WaitForStartAsync(subscription, time, ct).ConfigureAwait(false);
        if (start is null)
        {
            return new LiveRefusal(503, $"stream '{stream.Name}' sent no video in time");
        }

        var tracks = CodecNegotiation.Muxable(start.Value.Tracks);
        if (!tracks.Any(t => t.Kind == MediaKind.Video))
        {
            return new LiveRefusal(415, CodecNegotiation.Explain(start.Value.Tracks, null));
        }

        consumer.Codecs = Media.Codecs.CodecString.For(tracks);
        LimitSendBuffer(context);
        var response = context.Response;
        response.ContentType = CodecNegotiation.MimeType(tracks);
        response.Headers.CacheControl = "no-cache";
        await response.StartAsync(ct).ConfigureAwait(false);
        using var limit = duration is { } d ? new CancellationTokenSource(d, time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, limit.Token);
        try
        {
            await new LiveFmp4Writer(subscription, tracks, consumer, time).RunAsync(start.Value.First,
                (data, token) => response.Body.WriteAsync(data, token), linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }

        return null;
    }

    private static void LimitSendBuffer(HttpContext context)
    {
        if (context.Features.Get<Microsoft.AspNetCore.Connections.Features.IConnectionSocketFeature>()?.Socket is { } s)
        {
            s.SendBufferSize = MaxSocketSendBuffer;
        }
    }

    public LiveConsumer NewConsumer(HttpContext context, CameraStream stream, string format, string protocol) =>
        new(stream.Name, format, protocol,
            context.Connection.RemoteIpAddress is { } ip ? $"{ip}:{context.Connection.RemotePort}" : null,
            context.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null, time);
}
