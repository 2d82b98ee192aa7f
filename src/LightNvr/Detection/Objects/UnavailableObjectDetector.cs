namespace LightNvr.Detection.Objects;

/// <summary>Stands in when no provider handles a stream's <c>detection_model</c>: every frame fails with the reason, which the stream's health shows.</summary>
public sealed class UnavailableObjectDetector(string name, string reason) : IObjectDetector
{
    public string Name => name;

    public ValueTask<IReadOnlyList<DetectedObject>> DetectAsync(RgbFrame frame, CancellationToken cancellationToken) =>
        throw new ObjectDetectorException(reason);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
