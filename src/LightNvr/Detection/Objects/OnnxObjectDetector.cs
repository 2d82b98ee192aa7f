namespace LightNvr.Detection.Objects;

/// <summary>
/// A stream's handle on a shared <see cref="OnnxModel"/>: runs the model on the caller's thread (the inference queue's
/// worker) and gives its model back to the <see cref="OnnxModelCache"/> when disposed.
/// </summary>
public sealed class OnnxObjectDetector(OnnxModelCache cache, OnnxModel model) : IObjectDetector
{
    private int _disposed;

    public string Name => Path.GetFileName(model.Path);

    public OnnxModel Model => model;

    public ValueTask<IReadOnlyList<DetectedObject>> DetectAsync(RgbFrame frame, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(model.Detect(frame));
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            cache.Release(model);
        }
        return ValueTask.CompletedTask;
    }
}
