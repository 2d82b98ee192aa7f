namespace LightNvr.Detection.Objects;

/// <summary>
/// Finds objects in one frame: the ONNX Runtime session in-process, or an external detection API (DeepStack /
/// CodeProject.AI, light-object-detect). Implementations may be called from one inference worker at a time; they
/// throw <see cref="ObjectDetectorException"/> with a message a user can act on ("model not found", "service answered
/// 500") and never block past the cancellation token.
/// </summary>
public interface IObjectDetector : IAsyncDisposable
{
    /// <summary>What the stream's health shows: the model file name or the service URL (without credentials).</summary>
    string Name { get; }

    /// <summary>
    /// True when a run mostly waits on something outside this process (an HTTP detection service), so it takes the
    /// network lane of <see cref="ObjectDetectionQueues"/> and a slow service never delays the in-process detectors.
    /// </summary>
    bool WaitsOnNetwork => false;

    /// <summary>Objects found in <paramref name="frame"/>, boxes normalised to the frame, any score (the caller filters).</summary>
    ValueTask<IReadOnlyList<DetectedObject>> DetectAsync(RgbFrame frame, CancellationToken cancellationToken);
}
