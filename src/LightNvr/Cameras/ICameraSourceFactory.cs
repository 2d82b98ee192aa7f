using LightNvr.Data;
using LightNvr.Media;

namespace LightNvr.Cameras;

/// <summary>
/// Makes the source function a stream's <see cref="Media.Streaming.SourceSupervisor"/> runs: connect to the camera,
/// deliver into the sink until the connection ends, return or throw. The RTSP client in production; tests may pass
/// another real source (or, where no real peer exists, a synthetic one, and say so).
/// </summary>
public interface ICameraSourceFactory
{
    Func<IMediaSink, CancellationToken, Task> Create(StreamConfig stream);
}
