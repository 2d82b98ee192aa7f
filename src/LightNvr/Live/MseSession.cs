using LightNvr.Live.WebRtc;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using LightNvr.Cameras;

namespace LightNvr.Live;

/// <summary>
/// go2rtc's WebSocket protocol for MSE (AlexxIT/go2rtc internal/api/ws): the client sends
/// <c>{"type":"mse","value":"&lt;codecs it accepts&gt;"}</c>; we answer <c>{"type":"mse","value":"video/mp4; codecs=…"}</c>
/// with only the tracks it accepts (or <c>{"type":"error","value":"…"}</c>), then binary messages: the init segment,
/// then fMP4 fragments. Other request types (webrtc/offer, hls, mp4) are answered with an error.
/// </summary>
public sealed partial class MseSession(WebSocket socket, CameraStream stream, LiveConsumer consumer, LiveConsumers registry,
    TimeProvider time, ILogger logger, WebRtcSessions? webrtc = null, System.Net.IPAddress? localAddress = null)
{
    /// <summary>Longest the first text message may be: a codec list is under 200 bytes; a WebRTC offer is ~4 KB.</summary>
    public const int MaxRequestBytes = 16 * 1024;

    /// <summary>
    /// How long one send may wait on a client that does not read: long enough for a 3 Mbit/s link to take a 4 MB GOP
    /// burst (<see cref="Media.Streaming.GopCache.MaxBytes"/>), short enough that a dead client's socket and
    /// subscription do not linger.
    /// </summary>
    public static readonly TimeSpan MaxSendStall = TimeSpan.FromSeconds(15);

    /// <summary>How long the client has to send its request after the WebSocket opens.</summary>
    public static readonly TimeSpan MaxRequestWait = TimeSpan.FromSeconds(10);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var request = await ReceiveRequestAsync(cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            return;
        }

        if (request.Value.Type == "webrtc/offer" && webrtc is not null)
        {
            await RunWebRtcAsync(webrtc, request.Value.Value ?? "", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (request.Value.Type != "mse")
        {
            await SendJsonAsync("error", $"unsupported request type '{request.Value.Type}': only mse and webrtc/offer", cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        using var registration = registry.Add(consumer);
        using var subscription = LiveSubscriber.Subscribe(stream, consumer);
        var start = await LiveSubscriber.WaitForStartAsync(subscription, time, cancellationToken).ConfigureAwait(false);
        if (start is null)
        {
            await SendJsonAsync("error", $"stream '{stream.Name}' sent no video in time ({stream.Status.State})",
                cancellationToken).ConfigureAwait(false);
            return;
        }

        var tracks = CodecNegotiation.Select(start.Value.Tracks, request.Value.Value);
        if (!tracks.Any(t => t.Kind == Media.MediaKind.Video))
        {
            await SendJsonAsync("error", CodecNegotiation.Explain(start.Value.Tracks, request.Value.Value),
                cancellationToken).ConfigureAwait(false);
            return;
        }

        consumer.Codecs = Media.Codecs.CodecString.For(tracks);
        await SendJsonAsync("mse", CodecNegotiation.MimeType(tracks), cancellationToken).ConfigureAwait(false);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = DrainClientAsync(session);
        try
        {
            var writer = new LiveFmp4Writer(subscription, tracks, consumer, time);
            await writer.RunAsync(start.Value.First, SendBinaryAsync, session.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException e)
        {
            LogClientGone(stream.Name, consumer.Remote, e.Message);
        }
        finally
        {
            await session.CancelAsync().ConfigureAwait(false);
            await reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// go2rtc's WebRTC over the WebSocket: <c>{"type":"webrtc/offer","value":SDP}</c> → <c>{"type":"webrtc/answer",
    /// "value":SDP}</c> (the server's candidates are in the answer; the client's <c>webrtc/candidate</c> messages are
    /// read and ignored: an ICE-lite server learns the client's address from its checks). The session lives until
    /// the WebSocket closes or the session ends, whichever is first.
    /// </summary>
    private async Task RunWebRtcAsync(WebRtcSessions sessions, string offer, CancellationToken ct)
    {
        var result = await sessions.OfferAsync(stream, offer, localAddress, consumer.Remote, consumer.UserAgent, ct)
            .ConfigureAwait(false);
        if (result.Session is null)
        {
            await SendJsonAsync("error", result.Error ?? "WebRTC refused", ct).ConfigureAwait(false);
            return;
        }

        await SendJsonAsync("webrtc/answer", result.Answer!, ct).ConfigureAwait(false);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reader = DrainClientAsync(session);
        await Task.WhenAny(reader, result.Session.Completion).ConfigureAwait(false);
        await sessions.EndAsync(result.Session.Id).ConfigureAwait(false);
        await session.CancelAsync().ConfigureAwait(false);
        await reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async ValueTask SendBinaryAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        using var stall = new CancellationTokenSource(MaxSendStall, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, stall.Token);
        await socket.SendAsync(data, WebSocketMessageType.Binary, true, linked.Token).ConfigureAwait(false);
    }

    private async Task SendJsonAsync(string type, string value, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(new WsMessage(type, value), LiveJsonContext.Default.WsMessage);
        await socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
    }

    private async Task<WsMessage?> ReceiveRequestAsync(CancellationToken ct)
    {
        using var deadline = new CancellationTokenSource(MaxRequestWait, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        var buffer = new byte[MaxRequestBytes];
        var length = 0;
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(length), linked.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                length += result.Count;
                if (result.EndOfMessage)
                {
                    break;
                }

                if (length == buffer.Length)
                {
                    await SendJsonAsync("error", "request too long", ct).ConfigureAwait(false);
                    return null;
                }
            }

            var message = JsonSerializer.Deserialize(buffer.AsSpan(0, length), LiveJsonContext.Default.WsMessage);
            return message.Type is not null ? message : null;
        }
        catch (JsonException)
        {
            await SendJsonAsync("error", "request is not JSON {\"type\":…,\"value\":…}", ct).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Reads (and ignores) what the client sends after its request, so a close ends the session at once.</summary>
    private async Task DrainClientAsync(CancellationTokenSource session)
    {
        var buffer = new byte[1024];
        try
        {
            while (!session.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), session.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }

        await session.CancelAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "MSE viewer of {Stream} ({Remote}) left: {Reason}")]
    private partial void LogClientGone(string stream, string? remote, string reason);
}
