using System.Collections.Concurrent;
using LightNvr.Data;
using LightNvr.Media.Streaming;

namespace LightNvr.Cameras;

/// <summary>
/// The streaming core's owner (D1): one <see cref="CameraStream"/> per enabled stream of the database, started
/// staggered at boot, restarted or stopped when the API changes its connection or disables it, kept running when only
/// recorder settings change (<see cref="IStreamChangeListener"/>, <see cref="CameraChangePolicy"/>), and
/// the source of the stream JSON's status (<see cref="IStreamStatusProvider"/>). Fills the stream's codec, size and
/// frame rate from what arrives. Consumers (the recorder, live viewers) find a stream's hub with <see cref="TryGet"/>
/// and follow <see cref="CameraStarted"/> / <see cref="CameraStopping"/>.
/// </summary>
public sealed partial class CameraService(
    StreamStore streams,
    ICameraSourceFactory sources,
    TimeProvider time,
    ILogger<CameraService> logger,
    ICameraLeases? leases = null) : BackgroundService, IStreamChangeListener, IStreamStatusProvider
{
    /// <summary>
    /// Pause between two camera starts at boot, so 32 cameras (<c>[streams] max_streams</c>) do not all open RTSP
    /// sessions, allocate buffers and hit the CPU in the same instant: all are started within 8 s.
    /// </summary>
    public static readonly TimeSpan StartStagger = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<string, CameraStream> _cameras = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private int _followingLeases;

    /// <summary>Raised after a camera started; handlers attach consumers (the recorder). Must not block long.</summary>
    public event Func<CameraStream, CancellationToken, Task>? CameraStarted;

    /// <summary>Raised before a camera stops; handlers finish their consumers (close the segment) first.</summary>
    public event Func<CameraStream, CancellationToken, Task>? CameraStopping;

    /// <summary>
    /// Raised after a running camera took new recorder settings (<see cref="CameraChange.Recorder"/>:
    /// <see cref="CameraStream.Config"/> already holds them); handlers start, stop or reconfigure the recorder. The
    /// camera's connection and hub stay as they are.
    /// </summary>
    public event Func<CameraStream, CancellationToken, Task>? RecorderSettingsChanged;

    public IReadOnlyCollection<CameraStream> Cameras => _cameras.Values.ToArray();

    public bool TryGet(string name, out CameraStream camera) => _cameras.TryGetValue(name, out camera!);

    public StreamStatus GetStatus(string streamName) =>
        _cameras.TryGetValue(streamName, out var camera) ? camera.Status : new StreamStatus("Stopped");

    public Task OnStreamAddedAsync(StreamConfig stream, CancellationToken cancellationToken) =>
        stream.Enabled ? RestartAsync(stream, cancellationToken) : Task.CompletedTask;

    /// <summary>
    /// Restarts the camera only when its connection changed (<see cref="CameraChangePolicy"/>); recorder settings
    /// reconfigure the recorder (<see cref="RecorderSettingsChanged"/>) so live viewers keep playing.
    /// </summary>
    public async Task OnStreamUpdatedAsync(StreamConfig before, StreamConfig after, CancellationToken cancellationToken)
    {
        if (!after.Enabled)
        {
            await StopCameraAsync(after.Name, cancellationToken).ConfigureAwait(false);
            return;
        }

        CameraChange change;
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var camera = _cameras.GetValueOrDefault(after.Name);
            change = CameraChangePolicy.Classify(camera is null ? null : before, after);
            if (camera is not null && change is CameraChange.Keep or CameraChange.Recorder)
            {
                camera.Reconfigure(after);
                await ReconfigureSubStreamAsync(after).ConfigureAwait(false);
                if (change == CameraChange.Recorder)
                {
                    LogRecorderSettings(after.Name, after.Record, after.RecordAudio, after.SegmentDuration);
                    await RaiseAsync(RecorderSettingsChanged, camera, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _lifecycle.Release();
        }

        if (change == CameraChange.Restart)
        {
            await RestartAsync(after, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task OnStreamRemovedAsync(StreamConfig stream, bool permanent, CancellationToken cancellationToken) =>
        StopCameraAsync(stream.Name, cancellationToken);

    /// <summary>
    /// Stops every camera (consumers first, through <see cref="CameraStopping"/>), all at once. Idempotent. In parallel
    /// because each stop may wait for the camera's TEARDOWN (bounded at 2 s): one after another, 16 cameras took
    /// about 6.5 s, over the shutdown coordinator's 5 s per priority group (the soak, docs/robustness.md).
    /// </summary>
    public async Task StopAllAsync(CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_cameras.Keys.ToArray().Select(name => StopLockedAsync(name, cancellationToken))).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await StopAllAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IReadOnlyList<StreamConfig> all;
        try
        {
            all = await streams.ListAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var enabled = all.Where(s => s.Enabled).ToList();
        LogStarting(enabled.Count);
        for (var i = 0; i < enabled.Count; i++)
        {
            if (i > 0)
            {
                await Task.Delay(StartStagger, time, stoppingToken).ConfigureAwait(false);
            }

            await RestartAsync(enabled[i], stoppingToken, onlyIfAbsent: true).ConfigureAwait(false);
        }
    }

    /// <param name="onlyIfAbsent">
    /// Start-up: a stream the API added or changed since the list was read is already running with its newer
    /// config; restarting it would cut off whoever already watches it.
    /// </param>
    private async Task RestartAsync(StreamConfig config, CancellationToken ct, bool onlyIfAbsent = false)
    {
        await _lifecycle.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (onlyIfAbsent && _cameras.ContainsKey(config.Name))
            {
                return;
            }

            await StopLockedAsync(config.Name, ct).ConfigureAwait(false);
            FollowLeases();
            var camera = new CameraStream(config, sources.Create(config), time);
            camera.LeaseHeld = leases?.Holds(config.Name) ?? true;
            camera.Probe.Measured += info => _ = SaveVideoInfoAsync(config.Name, info);
            camera.Supervisor.StatusChanged += (_, status) => LogSourceStatus(config.Name, status);
            _cameras[config.Name] = camera;
            camera.Start(keepConnected: false);
            LogStarted(config.Name, config.Record);
            await RaiseAsync(CameraStarted, camera, ct).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// With recorder nodes only the lease holder keeps a recorded camera connected (docs/scale.md "Live view on any
    /// node"): a lease gained or lost switches that camera between always-on and on-demand.
    /// </summary>
    private void FollowLeases()
    {
        if (leases is { Enabled: true } && Interlocked.Exchange(ref _followingLeases, 1) == 0)
        {
            leases.LeaseChanged += stream =>
            {
                if (_cameras.TryGetValue(stream, out var camera))
                {
                    camera.LeaseHeld = leases.Holds(stream);
                }
                return Task.CompletedTask;
            };
        }
    }

    private async Task StopCameraAsync(string name, CancellationToken ct)
    {
        await _lifecycle.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await StopLockedAsync(name, ct).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task StopLockedAsync(string name, CancellationToken ct)
    {
        if (!_cameras.TryRemove(name, out var camera))
        {
            return;
        }

        await RaiseAsync(CameraStopping, camera, ct).ConfigureAwait(false);

        await StopSubStreamAsync(name).ConfigureAwait(false);
        await camera.DisposeAsync().ConfigureAwait(false);
        LogStopped(name);
    }

    /// <summary>Calls each handler in turn (not in parallel: a recorder's start and stop must not overlap).</summary>
    private static async Task RaiseAsync(Func<CameraStream, CancellationToken, Task>? handlers, CameraStream camera,
        CancellationToken ct)
    {
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Func<CameraStream, CancellationToken, Task>>())
        {
            await handler(camera, ct).ConfigureAwait(false);
        }
    }

    private async Task SaveVideoInfoAsync(string name, VideoInfo info)
    {
        try
        {
            await streams.UpdateVideoInfoAsync(name, info.Codec, info.Width, info.Height, info.Fps).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // best effort: a failed write of detected fields must not disturb streaming
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogVideoInfoFailed(name, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting {Count} cameras")]
    private partial void LogStarting(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {Name} started (record: {Record})")]
    private partial void LogStarted(string name, bool record);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Camera {Name}: recorder settings changed (record: {Record}, audio: {Audio}, segment: {Seconds} s); connection kept")]
    private partial void LogRecorderSettings(string name, bool record, bool audio, int seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {Name} stopped")]
    private partial void LogStopped(string name);

    /// <summary>Says in the log what the stream JSON says: a failed attempt (reason is credential-free) and a recovery.</summary>
    private void LogSourceStatus(string name, SourceStatus status)
    {
        if (status.State == SourceState.Error)
        {
            LogSourceFailed(name, status.Reason ?? "connection failed", status.Failures,
                status.RetryAt is { } at ? (at - status.Since).TotalSeconds : 0);
        }
        else if (status.State == SourceState.Connected)
        {
            LogSourceConnected(name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {Name}: {Reason} (failure {Failures}; retrying in {Seconds:F1} s)")]
    private partial void LogSourceFailed(string name, string reason, int failures, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {Name}: connected")]
    private partial void LogSourceConnected(string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {Name}: cannot save detected video info: {Reason}")]
    private partial void LogVideoInfoFailed(string name, string reason);
}
