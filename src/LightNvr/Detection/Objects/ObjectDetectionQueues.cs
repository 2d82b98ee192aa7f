namespace LightNvr.Detection.Objects;

/// <summary>
/// The server's two inference lanes. In-process detectors (ONNX Runtime) share one worker, so detection takes at most
/// the cores it is given; detectors that wait on an HTTP service (<see cref="IObjectDetector.WaitsOnNetwork"/>) share
/// another, so a hung or slow service (up to its 10 s timeout per frame) costs its own streams frames, not the
/// in-process ones. Each lane is an <see cref="ObjectDetectionQueue"/> with its own bounded backlog and drop count.
/// </summary>
public sealed class ObjectDetectionQueues : IDisposable
{
    public ObjectDetectionQueue InProcess { get; } = new("object-detection");

    public ObjectDetectionQueue Network { get; } = new("object-detection-api");

    /// <summary>The lane <paramref name="detector"/>'s frames go through.</summary>
    public ObjectDetectionQueue For(IObjectDetector detector) => detector.WaitsOnNetwork ? Network : InProcess;

    public void Dispose()
    {
        InProcess.Dispose();
        Network.Dispose();
    }
}
