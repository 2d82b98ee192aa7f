using System.Collections.Concurrent;
using LightNvr.Cameras;
using LightNvr.Data;
using LightNvr.Detection.Objects;
using LightNvr.Events;
using LightNvr.Hosting;

namespace LightNvr.Detection;

/// <summary>
/// Runs a <see cref="StreamDetector"/> for every running camera whose stream detects motion
/// (<see cref="DetectionPlan.WantsMotion"/>): started when the <see cref="CameraService"/> starts the camera, stopped
/// before it stops, restarted when the API changes the stream's detection fields (the camera itself may keep running),
/// and told when the stream's zones change. Stops first on shutdown (<see cref="ShutdownPriority.Detection"/>). With
/// recorder nodes (docs/scale.md) a camera's detector runs on the node holding its lease only, and follows the lease.
/// </summary>
public sealed partial class DetectionService : IHostedService, IStreamChangeListener, IDisposable
{
    private readonly CameraService _cameras;
    private readonly ZoneStore _zones;
    private readonly MotionSettingsStore _settings;
    private readonly IObservationSink _sink;
    private readonly FrameSourceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<DetectionService> _logger;
    private readonly IReadOnlyList<IObjectDetectorProvider> _providers;
    private readonly ObjectDetectionQueues _queues;
    private readonly IDisposable _shutdown;
    private readonly ConcurrentDictionary<string, StreamDetector> _detectors = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private volatile bool _stopped;
    private readonly Recording.RecordingLeases? _leases;

    public DetectionService(CameraService cameras, ZoneStore zones, MotionSettingsStore settings,
        IObservationSink sink, FrameSourceOptions options, ShutdownCoordinator shutdown, TimeProvider time, ILoggerFactory loggers,
        IEnumerable<IObjectDetectorProvider> providers, ObjectDetectionQueues queues, Recording.RecordingLeases? leases = null)
    {
        _leases = leases;
        _providers = providers.ToArray();
        _queues = queues;
        _cameras = cameras;
        _zones = zones;
        _settings = settings;
        _sink = sink;
        _options = options;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<DetectionService>();
        _shutdown = shutdown.Register("detection", ShutdownPriority.Detection, StopAllAsync);
        _cameras.CameraStarted += OnCameraStartedAsync;
        _cameras.CameraStopping += OnCameraStoppingAsync;
        _zones.ZonesChanged += OnZonesChanged;
        if (_leases is not null)
        {
            _leases.LeaseChanged += OnLeaseChangedAsync;
        }
    }

    public IReadOnlyCollection<StreamDetector> Detectors => _detectors.Values.ToArray();

    public bool TryGet(string stream, out StreamDetector detector) => _detectors.TryGetValue(stream, out detector!);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var camera in _cameras.Cameras)
        {
            await OnCameraStartedAsync(camera, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await StopAllAsync(cancellationToken).ConfigureAwait(false);

    public Task OnStreamAddedAsync(StreamConfig stream, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task OnStreamRemovedAsync(StreamConfig stream, bool permanent, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Called after the camera service (registered earlier): when it restarted the camera, the detector already runs with
    /// <paramref name="after"/>; when it did not, a change of detection fields restarts only the detector.
    /// </summary>
    public async Task OnStreamUpdatedAsync(StreamConfig before, StreamConfig after, CancellationToken cancellationToken)
    {
        if (!_cameras.TryGet(after.Name, out var camera))
        {
            await StopDetectorAsync(after.Name).ConfigureAwait(false);
            return;
        }
        var current = _detectors.TryGetValue(after.Name, out var detector) ? detector.Stream : before;
        if (DetectionPlan.DetectorChanged(current, after) || (detector is null && DetectionPlan.WantsDecoder(after)))
        {
            await StopDetectorAsync(after.Name).ConfigureAwait(false);
            await StartDetectorAsync(camera, after, cancellationToken).ConfigureAwait(false);
        }
        else if (detector is not null)
        {
            await detector.ReloadAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _shutdown.Dispose();
        _lifecycle.Dispose();
    }

    private Task OnCameraStartedAsync(CameraStream camera, CancellationToken ct) => StartDetectorAsync(camera, camera.Config, ct);

    /// <summary>With recorder nodes only the camera's lease holder detects (one event per motion, not one per node).</summary>
    private bool Holds(string stream) => _leases?.Holds(stream) ?? true;

    private async Task OnLeaseChangedAsync(string stream)
    {
        if (Holds(stream) && _cameras.TryGet(stream, out var camera))
        {
            await StartDetectorAsync(camera, camera.Config, CancellationToken.None).ConfigureAwait(false);
        }
        else if (!Holds(stream))
        {
            await StopDetectorAsync(stream).ConfigureAwait(false);
        }
    }

    private Task OnCameraStoppingAsync(CameraStream camera, CancellationToken ct) => StopDetectorAsync(camera.Name);

    private async Task StartDetectorAsync(CameraStream camera, StreamConfig config, CancellationToken ct)
    {
        if (_stopped || !DetectionPlan.WantsDecoder(config) || !Holds(config.Name))
        {
            return;
        }
        await _lifecycle.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_detectors.ContainsKey(config.Name))
            {
                return;
            }
            // One connection for the sub-stream, shared with the live tiles that show NAME_sub.
            CameraStream? sub = _cameras.TryGetSubStream(config.Name, config.SubStreamUrl, out var shared) ? shared : null;
            var detector = new StreamDetector(config, sub?.Hub ?? camera.Hub, sub, _zones, _settings, _sink, _options, _time,
                _loggers.CreateLogger<StreamDetector>(), CreateObjects(config));
            await detector.StartAsync(ct).ConfigureAwait(false);
            _detectors[config.Name] = detector;
            LogStarted(config.Name, detector.Source);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>The stream's object detection, or null for motion only; the first provider that knows the model makes it.</summary>
    private StreamObjectDetection? CreateObjects(StreamConfig config)
    {
        if (!DetectionPlan.WantsObjects(config))
        {
            return null;
        }
        IObjectDetector? detector = null;
        foreach (var provider in _providers)
        {
            detector = provider.Create(config);
            if (detector is not null)
            {
                break;
            }
        }
        detector ??= new UnavailableObjectDetector(config.DetectionModel,
            $"no detector for detection_model '{config.DetectionModel}' (an .onnx file in [models] path, 'onnx' or 'api-detection')");
        return new StreamObjectDetection(config, detector, _queues.For(detector), _sink);
    }

    private async Task StopDetectorAsync(string name)
    {
        await _lifecycle.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_detectors.TryRemove(name, out var detector))
            {
                await detector.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task StopAllAsync(CancellationToken ct)
    {
        _stopped = true;
        _cameras.CameraStarted -= OnCameraStartedAsync;
        if (_leases is not null)
        {
            _leases.LeaseChanged -= OnLeaseChangedAsync;
        }
        await Task.WhenAll(_detectors.Keys.ToArray().Select(StopDetectorAsync)).ConfigureAwait(false);
    }

    private void OnZonesChanged(string stream)
    {
        if (_detectors.TryGetValue(stream, out var detector))
        {
            _ = ReloadQuietlyAsync(detector);
        }
    }

    private async Task ReloadQuietlyAsync(StreamDetector detector)
    {
        try
        {
            await detector.ReloadAsync(CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a failed reload keeps the zones in force; the API call already succeeded
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogReloadFailed(detector.Name, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Detection on {Stream} ({Source} stream)")]
    private partial void LogStarted(string stream, string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Detection {Stream}: cannot reload zones: {Reason}")]
    private partial void LogReloadFailed(string stream, string reason);
}
