using LightNvr.Cameras;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Media;

namespace LightNvr.Restream;

/// <summary>
/// Wraps the camera source factory: a stream whose url is its own path on our RTSP server
/// (<see cref="SelfUrl.IsPublishUrl"/>) is fed by RTSP publishers through its <see cref="PublishPoint"/>; every other
/// stream gets the wrapped (RTSP client) source.
/// </summary>
public sealed class PublishSourceFactory(ICameraSourceFactory inner, PublishRegistry registry,
    ConfigSection<Go2rtcOptions> go2rtc, ConfigSection<WebOptions> web, FfmpegSourceCredential? ffmpegCredential = null)
    : ICameraSourceFactory
{
    /// <summary>The ffmpeg executable of <c>ffmpeg:</c>, MJPEG and rtsps sources (Debian's package).</summary>
    public string Ffmpeg { get; init; } = "ffmpeg";

    /// <summary>The clock of snapshot cameras' polling.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public Func<IMediaSink, CancellationToken, Task> Create(StreamConfig stream)
    {
        if (FfmpegSourceUrl.Handles(stream.Url))
        {
            return FfmpegSourceFor(stream);
        }

        if (!SelfUrl.IsPublishUrl(stream.Url, stream.Name, go2rtc.Current, web.Current))
        {
            return inner.Create(stream);
        }

        var point = registry.Get(stream.Name);
        return point.RunSourceAsync;
    }

    /// <summary>An ffmpeg child publishing into the stream's point; a bad url or no RTSP server is the source's error.</summary>
    private Func<IMediaSink, CancellationToken, Task> FfmpegSourceFor(StreamConfig stream)
    {
        var source = FfmpegSourceUrl.Parse(stream.Url, out var error);
        var port = go2rtc.Current.RtspPort;
        if (source is null || port == 0 || ffmpegCredential is null)
        {
            var why = source is null ? error : "ffmpeg: and http(s) sources publish into the built-in RTSP server: set [go2rtc] rtsp_port";
            return (_, _) => Task.FromException(new InvalidOperationException(why));
        }

        var point = registry.Get(stream.Name);
        var url = ffmpegCredential.PublishUrl(port, stream.Name);
        return (sink, ct) =>
        {
            var tls = Cameras.RtspCameraSourceFactory.TlsOptions(go2rtc); // read at each connect, as for rtsps cameras
            return FfmpegSource.RunAsync(source, Ffmpeg, url, point, sink, ct,
                source.IsSnapshot ? new SnapshotPoller(new Uri(source.Input), source.SnapshotRate, tls, Time) : null, tls);
        };
    }

    /// <summary>True when the stream is fed by publishers.</summary>
    public bool IsPublishStream(StreamConfig stream) => SelfUrl.IsPublishUrl(stream.Url, stream.Name, go2rtc.Current, web.Current);
}
