namespace LightNvr.Data;

/// <summary>
/// Calls every registered <see cref="IStreamChangeListener"/> in turn. A listener that throws is logged and skipped:
/// the row is already written, and the other listeners still need to hear about it.
/// </summary>
public sealed partial class StreamChangeBroadcaster(IEnumerable<IStreamChangeListener> listeners, ILogger<StreamChangeBroadcaster> logger)
{
    public Task AddedAsync(StreamConfig stream, CancellationToken ct) =>
        EachAsync(stream.Name, l => l.OnStreamAddedAsync(stream, ct));

    public Task UpdatedAsync(StreamConfig before, StreamConfig after, CancellationToken ct) =>
        EachAsync(after.Name, l => l.OnStreamUpdatedAsync(before, after, ct));

    public Task RemovedAsync(StreamConfig stream, bool permanent, CancellationToken ct) =>
        EachAsync(stream.Name, l => l.OnStreamRemovedAsync(stream, permanent, ct));

    private async Task EachAsync(string name, Func<IStreamChangeListener, Task> call)
    {
        foreach (var listener in listeners)
        {
            try
            {
                await call(listener).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // One listener's failure must not fail the API call or starve the others.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogListenerFailed(e, listener.GetType().Name, name);
            }
        }
    }

    [LoggerMessage(LogLevel.Error, "Stream change listener {Listener} failed for stream {Stream}")]
    private partial void LogListenerFailed(Exception exception, string listener, string stream);
}
