using LightNvr.Cameras;
using LightNvr.Config;
using LightNvr.Live;

namespace LightNvr.Events;

/// <summary>
/// A JPEG per event, taken at its start from the live stream (<see cref="SnapshotService"/>: ffmpeg decodes the cached
/// GOP's keyframe; its one-second cache means one decode serves several events of a camera), written under
/// <see cref="SnapshotFiles.Root"/> and attached to the event. At most <see cref="MaxConcurrent"/> at once; beyond that
/// an event goes without a snapshot (counted), never queued behind a slow decoder.
/// </summary>
public sealed partial class EventSnapshots : IEventConsumer
{
    /// <summary>Snapshot decodes at once: <see cref="SnapshotService.MaxConcurrentDecodes"/>, so events never queue behind live snapshots twice over.</summary>
    public const int MaxConcurrent = SnapshotService.MaxConcurrentDecodes;

    private readonly EventService _events;
    private readonly CameraService _cameras;
    private readonly SnapshotService _snapshots;
    private readonly string _storage;
    private readonly ILogger<EventSnapshots> _logger;
    private readonly SemaphoreSlim _slots = new(MaxConcurrent, MaxConcurrent);
    private readonly CancellationTokenSource _stopping = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, byte> _running = new();

    public EventSnapshots(EventService events, CameraService cameras, SnapshotService snapshots, ConfigSection<StorageOptions> storage,
        ILogger<EventSnapshots> logger)
    {
        _events = events;
        _cameras = cameras;
        _snapshots = snapshots;
        _storage = storage.Current.Path;
        _logger = logger;
        events.Subscribe(this);
    }

    /// <summary>Events that got no snapshot because <see cref="MaxConcurrent"/> were being taken.</summary>
    public long Skipped { get; private set; }

    public void OnEvent(EventChange change)
    {
        if (change.Kind != EventChangeKind.Start || _stopping.IsCancellationRequested
            || !_cameras.TryGet(change.Event.StreamName, out var camera) || !SnapshotFiles.IsValidStream(camera.Name))
        {
            return;
        }
        if (!_slots.Wait(0))
        {
            Skipped++;
            return;
        }
        var e = change.Event;
        var task = Task.Run(() => TakeAsync(camera, e, DateTimeOffset.FromUnixTimeSeconds(e.StartTime)));
        _running[task] = 0;
        task.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
    }

    private async Task TakeAsync(CameraStream camera, Data.EventRecord ev, DateTimeOffset start)
    {
        var eventId = ev.Id;
        try
        {
            var jpeg = await _snapshots.GetAsync(camera, null, null, null).WaitAsync(_stopping.Token).ConfigureAwait(false);
            if (jpeg is null)
            {
                return;
            }
            if (ev.Source == EventSources.Name(ObservationSource.Object) && ev is { X: { } x, Y: { } y, Width: { } w, Height: { } h })
            {
                // Object events get their box and label drawn (issue 14 item 6); a failed drawing keeps the plain JPEG.
                jpeg = await SnapshotAnnotator.DrawAsync("ffmpeg", jpeg, new NormalizedBox((float)x, (float)y, (float)w, (float)h),
                    ev.Label, ev.Confidence, _stopping.Token).ConfigureAwait(false) ?? jpeg;
            }
            var folder = Path.Combine(SnapshotFiles.Root(_storage), camera.Name);
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, SnapshotFiles.FileName(eventId, start));
            await File.WriteAllBytesAsync(path, jpeg, _stopping.Token).ConfigureAwait(false);
            _events.Attach(eventId, path, null);
        }
#pragma warning disable CA1031 // no snapshot is a missing picture, not a failed event
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(camera.Name, e.Message);
        }
        finally
        {
            _slots.Release();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running.Keys).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event snapshot of {Stream} failed: {Reason}")]
    private partial void LogFailed(string stream, string reason);
}
