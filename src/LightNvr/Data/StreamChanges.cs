using LightNvr.Config;

namespace LightNvr.Data;

/// <summary>
/// Changing a stream is one call: it writes the row (<see cref="StreamStore"/>), then tells every running part that
/// follows streams (<see cref="StreamChangeBroadcaster"/>: the cameras, which restart, stop or only reconfigure their
/// recorder, see <c>Cameras.CameraChangePolicy</c>). The stream endpoints call nothing else to change a stream, so
/// no caller can write a row and forget the notification. Results, never HTTP. With recorder nodes each change runs
/// under <see cref="StreamSync"/>'s gate, so the heartbeat's comparison does not announce it a second time.
/// </summary>
public sealed class StreamChanges(StreamStore store, StreamChangeBroadcaster listeners, ConfigSection<StreamsOptions> limits,
    StreamSync? sync = null)
{
    /// <summary>Adds a stream unless <c>[streams] max_streams</c> rows exist or the name is taken.</summary>
    public Task<StreamChangeResult> AddAsync(StreamConfig stream, CancellationToken ct) =>
        LocalAsync(stream.Name, () => AddCoreAsync(stream, ct), ct);

    /// <summary>Writes <paramref name="updated"/> over <paramref name="current"/> (the row as read) and notifies.</summary>
    public Task<StreamChangeResult> UpdateAsync(StreamConfig current, StreamConfig updated, CancellationToken ct) =>
        LocalAsync(updated.Name, () => UpdateCoreAsync(current, updated, ct), ct);

    /// <summary>Deletes the row (<paramref name="permanent"/>) or disables it, and stops its camera.</summary>
    public Task<StreamChangeResult> RemoveAsync(StreamConfig current, bool permanent, CancellationToken ct) =>
        LocalAsync(current.Name, () => RemoveCoreAsync(current, permanent, ct), ct);

    private Task<StreamChangeResult> LocalAsync(string name, Func<Task<StreamChangeResult>> change, CancellationToken ct) =>
        sync is null ? change() : sync.LocalAsync(name, change, ct);

    private async Task<StreamChangeResult> AddCoreAsync(StreamConfig stream, CancellationToken ct)
    {
        var limit = limits.Current.MaxStreams;
        var count = await store.CountAsync(ct).ConfigureAwait(false);
        if (count >= limit)
        {
            return new StreamChangeResult(StreamChangeOutcome.LimitReached, count, limit);
        }

        if (await store.InsertAsync(stream, ct).ConfigureAwait(false) is not { } id)
        {
            return new StreamChangeResult(StreamChangeOutcome.AlreadyExists);
        }

        await listeners.AddedAsync(stream with { Id = id }, ct).ConfigureAwait(false);
        return StreamChangeResult.Done;
    }

    private async Task<StreamChangeResult> UpdateCoreAsync(StreamConfig current, StreamConfig updated, CancellationToken ct)
    {
        await store.UpdateAsync(updated, ct).ConfigureAwait(false);
        await listeners.UpdatedAsync(current, updated, ct).ConfigureAwait(false);
        return StreamChangeResult.Done;
    }

    private async Task<StreamChangeResult> RemoveCoreAsync(StreamConfig current, bool permanent, CancellationToken ct)
    {
        if (permanent)
        {
            await store.DeleteAsync(current.Name, ct).ConfigureAwait(false);
        }
        else
        {
            await store.UpdateAsync(current with { Enabled = false }, ct).ConfigureAwait(false);
        }

        await listeners.RemovedAsync(current, permanent, ct).ConfigureAwait(false);
        return StreamChangeResult.Done;
    }
}
