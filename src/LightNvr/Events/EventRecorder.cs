using LightNvr.Cameras;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Media;
using LightNvr.Media.Mp4.Fragmented;
using LightNvr.Media.Streaming;
using LightNvr.Recording;

namespace LightNvr.Events;

/// <summary>
/// Event recording of one stream (<c>detection_based_recording</c> on, continuous <c>record</c> off): a consumer of the
/// camera's <see cref="StreamHub"/> that keeps a <see cref="PreEventBuffer"/> of <c>pre_detection_buffer</c> seconds and,
/// while any event of the stream (or of its <c>motion_trigger_source</c>) is open, writes ordinary segments with the
/// continuous recorder's writer (<see cref="SegmentFile"/>: same fMP4 fragments, fsync, folder layout and crash
/// order): the file starts with the buffer's keyframe (at or before event start − pre buffer) and ends at the first
/// frame after the last event's end (its post buffer is already in the event's end). A segment longer than the
/// stream's segment duration is cut at a keyframe. Rows carry <c>trigger_type</c> motion or detection.
/// </summary>
public sealed partial class EventRecorder : IAsyncDisposable
{
    private readonly CameraStream _camera;
    private readonly RecordingStore _store;
    private readonly RecordingFiles _files;
    private readonly StorageOptions _storage;
    private readonly OpenSegments _open;
    private readonly EventService _events;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _segmentDuration;
    private readonly Lock _lock = new();
    private readonly Dictionary<long, string> _active = []; // open event id → trigger type
    private readonly List<long> _unattached = [];
    private TaskCompletionSource? _idle; // completed by End when no event is left open (see RunAsync)
    private HubSubscription? _subscription;
    private Task _run = Task.CompletedTask;
    private IReadOnlyList<MediaTrack>? _tracks;
    private OpenSegment? _segment;

    public EventRecorder(CameraStream camera, int preBufferSeconds, RecordingStore store, RecordingFiles files, StorageOptions storage,
        OpenSegments open, EventService events, TimeProvider time, ILogger logger)
    {
        _camera = camera;
        PreBufferSeconds = preBufferSeconds;
        _store = store;
        _files = files;
        _storage = storage;
        _open = open;
        _events = events;
        _time = time;
        _logger = logger;
        Buffer = new PreEventBuffer(TimeSpan.FromSeconds(Math.Max(0, preBufferSeconds)));
        var seconds = camera.Config.SegmentDuration > 0 ? camera.Config.SegmentDuration : storage.Mp4SegmentDuration;
        _segmentDuration = TimeSpan.FromSeconds(Math.Max(1, seconds));
    }

    public string StreamName => _camera.Name;

    /// <summary>The pre-event buffer (read its <see cref="PreEventBuffer.Bytes"/> and span for stream health).</summary>
    public PreEventBuffer Buffer { get; }

    /// <summary>Bytes and seconds the buffer holds, refreshed per frame (read from other threads).</summary>
    public (long Bytes, double Seconds) BufferState => (Volatile.Read(ref _bufferBytes), Volatile.Read(ref _bufferMs) / 1000.0);

    private long _bufferBytes;
    private long _bufferMs;

    /// <summary>Event recordings (segments) finished so far.</summary>
    public int SegmentsClosed { get; private set; }

    /// <summary>The pre-event buffer this recorder keeps (a change of the stream's <c>pre_detection_buffer</c> makes a new one).</summary>
    public int PreBufferSeconds { get; }

    public bool IsRecording => Volatile.Read(ref _segment) is not null;

    public void Start()
    {
        _subscription = _camera.Hub.Subscribe("recorder-events", acceptsBatches: true); // "recorder…": its drops count in frames_dropped
        _run = Task.Run(RunAsync);
    }

    /// <summary>An event began (or a cross-stream source's event did): record until it ends.</summary>
    public void Begin(long eventId, string triggerType)
    {
        lock (_lock)
        {
            _active[eventId] = triggerType;
            _unattached.Add(eventId);
        }
    }

    public void End(long eventId)
    {
        lock (_lock)
        {
            _active.Remove(eventId);
            if (_active.Count == 0)
            {
                _idle?.TrySetResult();
                _idle = null;
            }
        }
    }

    public async Task StopAsync()
    {
        _subscription?.Dispose();
        await _run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>
    /// Frames in, files out. While a file is open the loop also wakes when the last open event ends, and closes the
    /// file then: a camera that went silent mid-event (no frame would close it) still gets a finished file at the end
    /// of the post buffer. With frames coming, closing at that moment or at the next frame is the same file.
    /// </summary>
    private async Task RunAsync()
    {
        var subscription = _subscription!;
        Task<bool>? waiting = null;
        while (true)
        {
            waiting ??= subscription.WaitToReadAsync().AsTask(); // one wait at a time: a second would orphan the first
            if (!waiting.IsCompleted && _segment is not null && await Task.WhenAny(waiting, IdleAsync()).ConfigureAwait(false) != waiting)
            {
                await CloseIfIdleAsync().ConfigureAwait(false);
                continue;
            }
            var more = await waiting.ConfigureAwait(false);
            waiting = null;
            if (!more)
            {
                break;
            }
            while (subscription.TryRead(out var frame))
            {
                try
                {
                    await OnFrameAsync(frame, subscription.Tracks).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // an I/O or database failure ends this recording, never the stream
                catch (Exception e)
#pragma warning restore CA1031
                {
                    LogFailed(_camera.Name, e.Message);
                    await CloseAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
        }
        await CloseAsync().ConfigureAwait(false);
    }

    /// <summary>Completes when no event of the stream is open (at once if none is).</summary>
    private Task IdleAsync()
    {
        lock (_lock)
        {
            if (_active.Count == 0)
            {
                return Task.CompletedTask;
            }
            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }

    private async Task CloseIfIdleAsync()
    {
        lock (_lock)
        {
            if (_active.Count > 0)
            {
                return;
            }
        }
        try
        {
            await CloseAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // as for a frame: a failure ends this recording, never the stream
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(_camera.Name, e.Message);
        }
    }

    private async Task OnFrameAsync(MediaFrame frame, IReadOnlyList<MediaTrack> tracks)
    {
        if (!ReferenceEquals(tracks, _tracks))
        {
            _tracks = tracks; // a reconnect: buffered frames belong to the old connection
            Buffer.Clear();
            await CloseAsync().ConfigureAwait(false);
        }
        if (!Recordable(frame.Track))
        {
            return;
        }

        bool active;
        string trigger;
        lock (_lock)
        {
            active = _active.Count > 0;
            trigger = _active.Values.FirstOrDefault(t => t == "detection") ?? "motion";
        }

        if (_segment is null)
        {
            Buffer.Add(frame);
            if (active && Buffer.Count > 0)
            {
                await OpenAsync(Buffer.Drain(), trigger).ConfigureAwait(false);
            }
        }
        else if (!active)
        {
            await CloseAsync().ConfigureAwait(false);
            Buffer.Add(frame);
        }
        else if (IsVideoKey(frame) && _segment.Duration >= _segmentDuration)
        {
            await CloseAsync().ConfigureAwait(false);
            await OpenAsync([frame], trigger).ConfigureAwait(false);
        }
        else
        {
            await AppendAsync(frame).ConfigureAwait(false);
        }

        Volatile.Write(ref _bufferBytes, Buffer.Bytes);
        Volatile.Write(ref _bufferMs, (long)Buffer.Span.TotalMilliseconds);
        if (_segment?.RowId is { } row)
        {
            AttachPending(row);
        }
    }

    private bool Recordable(MediaTrack track) =>
        StreamRecorder.CanRecord(track) && (track.Kind == MediaKind.Video || _camera.Config.RecordAudio);

    private static bool IsVideoKey(MediaFrame f) => f.Track.Kind == MediaKind.Video && f.IsKeyFrame;

    private void AttachPending(long recordingId)
    {
        long[] ids;
        lock (_lock)
        {
            if (_unattached.Count == 0)
            {
                return;
            }
            ids = [.. _unattached];
            _unattached.Clear();
        }
        foreach (var id in ids)
        {
            _events.Attach(id, null, recordingId);
        }
    }
}
