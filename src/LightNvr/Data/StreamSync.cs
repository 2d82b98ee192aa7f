namespace LightNvr.Data;

/// <summary>
/// Streams changed through another recorder node's API (docs/scale.md): each node keeps the stream rows as it last
/// saw them, and at every lease heartbeat (<c>Recording.RecordingLeases</c>) reads them again and tells its own
/// listeners (<see cref="StreamChangeBroadcaster"/>: cameras, recorders, detection) what was added, changed or removed,
/// exactly as <see cref="StreamChanges"/> does for its own API. The fields the camera measures (codec, size, frame
/// rate, written by every node that connects) are not a change. Changes made through this node run under the same
/// gate (<see cref="LocalAsync"/>) and update the snapshot, so they are never announced twice.
/// </summary>
public sealed partial class StreamSync(StreamStore store, StreamChangeBroadcaster listeners, ILogger<StreamSync> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<string, StreamConfig>? _known;

    /// <summary>Reads the stream rows and announces what changed since the last read; the first read only remembers.</summary>
    /// <returns>How many changes were announced.</returns>
    public async Task<int> SyncAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var now = (await store.ListAsync(ct).ConfigureAwait(false)).ToDictionary(s => s.Name, StringComparer.Ordinal);
            if (_known is not { } known)
            {
                _known = now;
                return 0;
            }
            var changes = 0;
            foreach (var (name, before) in known.Where(k => !now.ContainsKey(k.Key)))
            {
                LogChanged(name, "deleted");
                await listeners.RemovedAsync(before, permanent: true, ct).ConfigureAwait(false);
                changes++;
            }
            foreach (var (name, after) in now)
            {
                if (!known.TryGetValue(name, out var before))
                {
                    LogChanged(name, "added");
                    await listeners.AddedAsync(after, ct).ConfigureAwait(false);
                    changes++;
                }
                else if (!Same(before, after))
                {
                    LogChanged(name, "changed");
                    await (before.Enabled && !after.Enabled
                        ? listeners.RemovedAsync(after, permanent: false, ct)
                        : listeners.UpdatedAsync(before, after, ct)).ConfigureAwait(false);
                    changes++;
                }
            }
            _known = now;
            return changes;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Runs a change made through this node (row written, listeners told) under the sync's gate, then remembers the row
    /// of <paramref name="name"/> as it now is, so the next <see cref="SyncAsync"/> does not announce it again.
    /// </summary>
    public async Task<T> LocalAsync<T>(string name, Func<Task<T>> change, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(change);
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var result = await change().ConfigureAwait(false);
            if (_known is { } known)
            {
                if (await store.GetAsync(name, ct).ConfigureAwait(false) is { } row)
                {
                    known[name] = row;
                }
                else
                {
                    known.Remove(name);
                }
            }
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Equal apart from what the camera measures (codec, width, height, fps).</summary>
    public static bool Same(StreamConfig a, StreamConfig b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.RecordingSchedule.SequenceEqual(b.RecordingSchedule)
            && a.DetectionRecordingSchedule.SequenceEqual(b.DetectionRecordingSchedule)
            && a with
            {
                Codec = b.Codec, Width = b.Width, Height = b.Height, Fps = b.Fps,
                RecordingSchedule = b.RecordingSchedule, DetectionRecordingSchedule = b.DetectionRecordingSchedule,
            } == b;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {Stream} {What} through another node: applying it here")]
    private partial void LogChanged(string stream, string what);
}
