using System.Collections.Concurrent;
using LightNvr.Cameras;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Hosting;

namespace LightNvr.Recording;

/// <summary>
/// Continuous recording of every stream with <c>record: true</c>: runs <see cref="RecordingRecovery"/> at start-up
/// (before any camera starts: <c>LightNvr.StartupSequence</c> starts this service before the camera service), then attaches a
/// <see cref="StreamRecorder"/> to each camera the <see cref="CameraService"/> starts and finalises it before the camera
/// stops. On shutdown (<see cref="ShutdownPriority.Recorders"/>, before the streaming core) every open segment is
/// flushed and its row completed. Recorder settings changed on a running camera
/// (<see cref="CameraService.RecorderSettingsChanged"/>) start, stop or reconfigure its recorder only. Whether a camera
/// records at all is decided in one place, <see cref="ApplyAsync"/>: manual recording, or continuous recording inside
/// its weekly schedule (checked at every minute of the clock, RecordingService.Control.cs).
/// </summary>
public sealed partial class RecordingService : IHostedService
{
    private readonly CameraService _cameras;
    private readonly RecordingStore _store;
    private readonly RecordingRecovery _recovery;
    private readonly RecordingFiles _files;
    private readonly ConfigSection<StorageOptions> _storage;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<RecordingService> _logger;
    private readonly ConcurrentDictionary<string, StreamRecorder> _recorders = new(StringComparer.Ordinal);
    private readonly IDisposable _shutdown;
    private readonly List<StreamRecorder> _started = [];
    private readonly OpenSegments _open;
    private readonly RecorderThread _thread = new();
    private readonly RecordingLeases? _leases;
    private readonly PendingRowReplay? _pending;

    public RecordingService(CameraService cameras, RecordingStore store, RecordingRecovery recovery, RecordingFiles files,
        ConfigSection<StorageOptions> storage, ShutdownCoordinator shutdown, TimeProvider time, ILoggerFactory loggers,
        OpenSegments? openSegments = null, RecordingLeases? leases = null, PendingRowReplay? pending = null)
    {
        _pending = pending;
        _open = openSegments ?? new OpenSegments();
        _leases = leases;
        _cameras = cameras;
        _store = store;
        _recovery = recovery;
        _files = files;
        _storage = storage;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<RecordingService>();
        _shutdown = shutdown.Register("recorders", ShutdownPriority.Recorders, StopAllAsync);
        _cameras.CameraStarted += OnCameraStartedAsync;
        _cameras.CameraStopping += OnCameraStoppingAsync;
        _cameras.RecorderSettingsChanged += OnRecorderSettingsChangedAsync;
        if (_leases is not null)
        {
            _leases.LeaseChanged += OnLeaseChangedAsync;
        }
    }

    /// <summary>The node id recordings rows carry (<c>[cluster] node_id</c>; '' without the lease layer, in tests).</summary>
    public string NodeId => _leases?.NodeId ?? "";

    /// <summary>Whether this node records <paramref name="stream"/>: always on one box, by lease with PostgreSQL.</summary>
    public bool HoldsLease(string stream) => _leases?.Holds(stream) ?? true;

    public IReadOnlyCollection<StreamRecorder> Recorders => _recorders.Values.ToArray();

    /// <summary>Every recorder started since start-up, stopped ones included (for diagnostics and tests).</summary>
    public IReadOnlyList<StreamRecorder> RecordersEverStarted
    {
        get
        {
            lock (_started)
            {
                return _started.ToArray();
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_pending is not null)
        {
            // Rows a database outage queued before the last stop go in first: recovery then sees their files listed.
            await _pending.DrainAsync(cancellationToken).ConfigureAwait(false);
            _pending.Start();
        }
        await _recovery.RunAsync(cancellationToken).ConfigureAwait(false);
        foreach (var camera in _cameras.Cameras)
        {
            await OnCameraStartedAsync(camera, cancellationToken).ConfigureAwait(false);
        }
        StartScheduleClock();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await StopAllAsync(cancellationToken).ConfigureAwait(false);
        _shutdown.Dispose();
        _thread.Dispose();
    }

    private Task OnCameraStartedAsync(CameraStream camera, CancellationToken ct) => ApplyAsync(camera);

    private StreamRecorder StartRecorder(CameraStream camera, string trigger)
    {
        var recorder = new StreamRecorder(camera, _store, _files, _storage, _time, _loggers.CreateLogger<StreamRecorder>(), _open,
            _thread)
        {
            Trigger = trigger,
            NodeId = NodeId,
            LeaseEpoch = _leases?.EpochOf(camera.Name),
            Pending = _pending?.Rows,
        };
        _recorders[camera.Name] = recorder;
        recorder.Start();
        lock (_started)
        {
            _started.Add(recorder);
        }

        LogStarted(camera.Name, trigger);
        return recorder;
    }

    /// <summary>A lease gained or lost (RecordingLeases): start or stop that camera's recorder.</summary>
    private async Task OnLeaseChangedAsync(string stream)
    {
        if (_cameras.TryGet(stream, out var camera))
        {
            await ApplyAsync(camera).ConfigureAwait(false);
        }
    }

    private async Task OnCameraStoppingAsync(CameraStream camera, CancellationToken ct)
    {
        await _apply.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_recorders.TryRemove(camera.Name, out var recorder))
            {
                await recorder.StopAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _apply.Release();
        }
    }

    /// <summary>
    /// Record (or the schedule) off: the recorder stops (its open segment is finished, file and row). On: a recorder
    /// subscribes to the running hub. A running recorder takes the new segment duration and audio choice.
    /// </summary>
    private async Task OnRecorderSettingsChangedAsync(CameraStream camera, CancellationToken ct)
    {
        if (_recorders.TryGetValue(camera.Name, out var recorder))
        {
            recorder.Reconfigure(camera.Config);
        }

        await ApplyAsync(camera).ConfigureAwait(false);
    }

    private async Task StopAllAsync(CancellationToken ct)
    {
        _cameras.CameraStarted -= OnCameraStartedAsync;
        _cameras.RecorderSettingsChanged -= OnRecorderSettingsChangedAsync;
        if (_leases is not null)
        {
            _leases.LeaseChanged -= OnLeaseChangedAsync;
        }
        _stopped = true;
        _scheduleClock?.Dispose();
        foreach (var manual in _manual.Values)
        {
            manual.Dispose(); // no time limit fires after shutdown
        }

        var stopping = new List<Task>();
        foreach (var name in _recorders.Keys.ToArray())
        {
            if (_recorders.TryRemove(name, out var recorder))
            {
                stopping.Add(recorder.StopAsync());
            }
        }

        await Task.WhenAll(stopping).ConfigureAwait(false);
        if (_pending is not null)
        {
            await _pending.StopAsync().ConfigureAwait(false);
            if (_pending.Rows.Count > 0)
            {
                await _pending.DrainAsync(CancellationToken.None).ConfigureAwait(false); // what is left waits for the next start
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {Stream} ({Trigger})")]
    private partial void LogStarted(string stream, string trigger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {Stream} stopped: {Reason}")]
    private partial void LogStopped(string stream, string reason);
}
