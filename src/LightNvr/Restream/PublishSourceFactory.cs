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
    ConfigSection<Go2rtcOptions> go2rtc, ConfigSection<WebOptions> web)
    : ICameraSourceFactory
{
    public Func<IMediaSink, CancellationToken, Task> Create(StreamConfig stream)
    {
        if (!SelfUrl.IsPublishUrl(stream.Url, stream.Name, go2rtc.Current, web.Current))
        {
            return inner.Create(stream);
        }

        var point = registry.Get(stream.Name);
        return point.RunSourceAsync;
    }

    /// <summary>True when the stream is fed by publishers.</summary>
    public bool IsPublishStream(StreamConfig stream) => SelfUrl.IsPublishUrl(stream.Url, stream.Name, go2rtc.Current, web.Current);
}
