using LightNvr.Config;
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
/// <c>rtsps://</c> cameras are checked as <c>[go2rtc] rtsps_verify_certificate</c> and <c>rtsps_ca_file</c> say, read
/// at each connect (docs/operations.md).
/// </summary>
public sealed class RtspCameraSourceFactory(TimeProvider time, ConfigSection<Go2rtcOptions>? go2rtc = null) : ICameraSourceFactory
{
    public Func<IMediaSink, CancellationToken, Task> Create(StreamConfig stream)
    {
        var transport = stream.Protocol == 1 ? RtspTransport.Udp : RtspTransport.Tcp;
        return (sink, ct) =>
        {
            var options = new RtspClientOptions { TimeProvider = time, ReceivePacer = ReceivePacer.Shared, Tls = TlsOptions(go2rtc) };
            if (!Uri.TryCreate(stream.Url, UriKind.Absolute, out var url))
            {
                throw new FormatException("stream URL is not an absolute URL");
            }

            return new RtspSource(options).RunAsync(url, transport, sink, ct);
        };
    }

    /// <summary>The camera TLS policy of the configuration in effect (verify against system roots when there is none).</summary>
    public static CameraTlsOptions TlsOptions(ConfigSection<Go2rtcOptions>? go2rtc) => go2rtc?.Current is { } g
        ? new CameraTlsOptions { VerifyCertificate = g.RtspsVerifyCertificate, CaFile = g.RtspsCaFile }
        : new CameraTlsOptions();
}
