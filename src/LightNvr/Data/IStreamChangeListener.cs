namespace LightNvr.Data;

/// <summary>
/// Told after a stream's row changed, so the streaming core and recorders can start, restart or stop the camera.
/// Every registered implementation is called (resolve as IEnumerable); one failing listener is logged and does not
/// stop the others or fail the API call, since the row is already written.
/// </summary>
public interface IStreamChangeListener
{
    Task OnStreamAddedAsync(StreamConfig stream, CancellationToken cancellationToken);
    Task OnStreamUpdatedAsync(StreamConfig before, StreamConfig after, CancellationToken cancellationToken);
    /// <param name="permanent">True when the row was deleted; false when the stream was only disabled.</param>
    Task OnStreamRemovedAsync(StreamConfig stream, bool permanent, CancellationToken cancellationToken);
}
