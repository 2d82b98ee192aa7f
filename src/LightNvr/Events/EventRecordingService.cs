using System.Collections.Concurrent;
using LightNvr.Cameras;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Recording;

namespace LightNvr.Events;

/// <summary>
/// Event recording (docs/events.md, docs/recording.md): an <see cref="EventRecorder"/> for every running camera with
/// <c>detection_based_recording</c> on and continuous <c>record</c> off. An event's start begins a recording on its own
/// stream and on every stream whose <c>motion_trigger_source</c> names it (upstream's cross-stream trigger); its end
/// ends it. With continuous recording on nothing is written twice: the event's <c>detections</c> rows fall inside the
/// continuous segments, which the recordings list then shows as <c>has_detection</c>. Stopped by the detection tier
/// (<see cref="EventService"/>'s shutdown, priority 100) after every open event has been closed, so recordings finish.
/// </summary>
public sealed partial class EventRecordingService : IEventConsumer, IHostedService
{
    private readonly CameraService _cameras;
    private readonly RecordingStore _store;
    private readonly RecordingFiles _files;
    private readonly StorageOptions _storage;
    private readonly OpenSegments _open;
    private readonly EventService _events;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<EventRecordingService> _logger;
    private readonly ConcurrentDictionary<string, EventRecorder> _recorders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, string[]> _recording = new(); // event id → streams recording for it

    private readonly RecordingService? _continuous;
    private readonly RecordingLeases? _leases;

    /// <param name="continuous">
    /// Continuous and manual recording: while it records a stream (inside its schedule, or on demand) events write
    /// nothing of their own. Null in tests that have none.
    /// </param>
    public EventRecordingService(CameraService cameras, RecordingStore store, RecordingFiles files, ConfigSection<StorageOptions> storage, OpenSegments open,
        EventService events, TimeProvider time, ILoggerFactory loggers, RecordingService? continuous = null, RecordingLeases? leases = null)
    {
        _leases = leases;
        if (leases is not null)
        {
            leases.LeaseChanged += OnLeaseChangedAsync;
        }
        _continuous = continuous;
        _cameras = cameras;
        _store = store;
        _files = files;
        _storage = storage.Current;
        _open = open;
        _events = events;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<EventRecordingService>();
        events.Subscribe(this);
        _cameras.CameraStarted += OnCameraStartedAsync;
        _cameras.CameraStopping += OnCameraStoppingAsync;
        _cameras.RecorderSettingsChanged += OnRecorderSettingsChangedAsync;
    }

    public IReadOnlyCollection<EventRecorder> Recorders => _recorders.Values.ToArray();

    /// <summary>
    /// Whether a stream's events may be recorded by this service: <c>detection_based_recording</c> on and continuous
    /// recording off or limited by its schedule (outside the schedule events are recorded here).
    /// </summary>
    public static bool RecordsEvents(StreamConfig config) =>
        config.DetectionBasedRecording && (!config.Record || RecordingSchedule.IsRestricted(config));

    /// <summary>
    /// An event starting now is recorded by this service: no continuous or manual recorder runs on the stream and the
    /// detection schedule (when set) covers now.
    /// </summary>
    private bool RecordsNow(string stream) =>
        _cameras.TryGet(stream, out var camera)
        && RecordingSchedule.EventsWanted(camera.Config, _time.GetUtcNow(), _time.LocalTimeZone)
        && _continuous?.StateOf(stream).Trigger is null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var camera in _cameras.Cameras)
        {
            await OnCameraStartedAsync(camera, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => StopRecordersAsync();

    Task IEventConsumer.StopAsync(CancellationToken cancellationToken) => StopRecordersAsync();

    private async Task StopRecordersAsync()
    {
        _cameras.CameraStarted -= OnCameraStartedAsync;
        if (_leases is not null)
        {
            _leases.LeaseChanged -= OnLeaseChangedAsync;
        }
        _cameras.RecorderSettingsChanged -= OnRecorderSettingsChangedAsync;
        var stopping = new List<Task>();
        foreach (var name in _recorders.Keys.ToArray())
        {
            if (_recorders.TryRemove(name, out var recorder))
            {
                stopping.Add(recorder.StopAsync());
            }
        }
        await Task.WhenAll(stopping).ConfigureAwait(false);
    }

    public void OnEvent(EventChange change)
    {
        var e = change.Event;
        if (change.Kind == EventChangeKind.Start)
        {
            var targets = _recorders.Values.Where(r => r.StreamName == e.StreamName
                || (_cameras.TryGet(r.StreamName, out var c) && c.Config.MotionTriggerSource == e.StreamName))
                .Where(r => RecordsNow(r.StreamName)).ToArray();
            if (targets.Length == 0)
            {
                return;
            }
            _recording[e.Id] = [.. targets.Select(t => t.StreamName)];
            foreach (var recorder in targets)
            {
                recorder.Begin(e.Id, EventSources.TriggerType(change.Source));
            }
        }
        else if (change.Kind == EventChangeKind.End && _recording.TryRemove(e.Id, out var streams))
        {
            foreach (var name in streams)
            {
                if (_recorders.TryGetValue(name, out var recorder))
                {
                    recorder.End(e.Id);
                }
            }
        }
    }

    /// <summary>With recorder nodes only the camera's lease holder records its events (docs/scale.md).</summary>
    private async Task OnLeaseChangedAsync(string stream)
    {
        if (_cameras.TryGet(stream, out var camera))
        {
            await (_leases!.Holds(stream) ? OnCameraStartedAsync(camera, CancellationToken.None)
                : OnCameraStoppingAsync(camera, CancellationToken.None)).ConfigureAwait(false);
        }
    }

    private Task OnCameraStartedAsync(CameraStream camera, CancellationToken ct)
    {
        if (!RecordsEvents(camera.Config) || !(_leases?.Holds(camera.Name) ?? true))
        {
            return Task.CompletedTask;
        }
        // The pre-buffer needs packets all the time: its hub subscription keeps the camera connected (a source runs
        // while its hub has subscribers).
        var recorder = new EventRecorder(camera, camera.Config.PreDetectionBuffer, _store, _files, _storage, _open, _events, _time,
            _loggers.CreateLogger<EventRecorder>());
        if (_recorders.TryAdd(camera.Name, recorder))
        {
            recorder.Start();
            LogStarted(camera.Name, camera.Config.PreDetectionBuffer);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// <c>record</c>, <c>record_on_schedule</c>, <c>detection_based_recording</c> or <c>pre_detection_buffer</c> changed on
    /// a running camera: the event recorder starts when events may now be recorded here (record off, or limited by its
    /// schedule), stops when continuous recording takes all, and is made again for a new pre-buffer length.
    /// </summary>
    private async Task OnRecorderSettingsChangedAsync(CameraStream camera, CancellationToken ct)
    {
        if (RecordsEvents(camera.Config))
        {
            if (_recorders.TryGetValue(camera.Name, out var current) && current.PreBufferSeconds != camera.Config.PreDetectionBuffer)
            {
                await OnCameraStoppingAsync(camera, ct).ConfigureAwait(false);
            }

            await OnCameraStartedAsync(camera, ct).ConfigureAwait(false);
        }
        else
        {
            await OnCameraStoppingAsync(camera, ct).ConfigureAwait(false);
        }
    }

    private async Task OnCameraStoppingAsync(CameraStream camera, CancellationToken ct)
    {
        if (_recorders.TryRemove(camera.Name, out var recorder))
        {
            await recorder.StopAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event recording {Stream}: pre-event buffer {Seconds} s")]
    private partial void LogStarted(string stream, int seconds);
}
