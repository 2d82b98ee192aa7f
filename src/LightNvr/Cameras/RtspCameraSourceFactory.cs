using LightNvr.Data;
using LightNvr.Media;
using LightNvr.Media.Rtsp;
using LightNvr.Media.Streaming;

namespace LightNvr.Cameras;

/// <summary>
/// The production camera source: our RTSP client (D7) over the stream's <c>protocol</c> (0 TCP, 1 UDP), one
/// <see cref="RtspSource"/> per run so no state survives a reconnect. Credentials stay in the URL given to the client;
/// the client keeps them out of its errors, and the supervisor redacts any URL userinfo as a second guard. Over TCP
/// a camera that is only recorded is read paced by <see cref="ReceivePacer.Shared"/> (docs/streaming.md).
/// </summary>
public sealed class RtspCameraSourceFactory(TimeProvider time) : ICameraSourceFactory
{
    public Func<IMediaSink, CancellationToken, Task> Create(StreamConfig stream)
    {
        var transport = stream.Protocol == 1 ? RtspTransport.Udp : RtspTransport.Tcp;
        var options = new RtspClientOptions { TimeProvider = time, ReceivePacer = ReceivePacer.Shared };
        return (sink, ct) =>
        {
            if (!Uri.TryCreate(stream.Url, UriKind.Absolute, out var url))
            {
                throw new FormatException("stream URL is not an absolute URL");
            }

            return new RtspSource(options).RunAsync(url, transport, sink, ct);
        };
    }
}
