using System.Collections.Concurrent;
using LightNvr.Cameras;

namespace LightNvr.Recording;

/// <summary>
/// Whether each camera records, and with which trigger type: manual recording (on demand, <c>manual</c>) or continuous
/// recording inside its weekly schedule (<c>scheduled</c>, <see cref="RecordingSchedule"/>). The schedule is checked
/// at every whole minute of the clock (every zone's hour boundary is one) on a <see cref="TimeProvider"/> timer; the
/// timer runs on elapsed time and reads the wall clock when it fires, so a stepped clock or a DST change takes effect
/// at the next minute at the latest.
/// </summary>
public sealed partial class RecordingService
{
    private readonly SemaphoreSlim _apply = new(1, 1);
    private readonly ConcurrentDictionary<string, ManualRecording> _manual = new(StringComparer.Ordinal);
    private ITimer? _scheduleClock;
    private volatile bool _stopped;

    /// <summary>What a camera records now, for <c>GET /api/streams/{name}/recording</c>.</summary>
    public RecordingState StateOf(string stream)
    {
        _manual.TryGetValue(stream, out var manual);
        var continuous = _cameras.TryGet(stream, out var camera)
            && RecordingSchedule.ContinuousWanted(camera.Config, _time.GetUtcNow(), _time.LocalTimeZone);
        if (!_recorders.TryGetValue(stream, out var recorder))
        {
            return new RecordingState(null, null, manual is not null, continuous, manual?.StopsAt);
        }

        return new RecordingState(recorder.Trigger, recorder.OpenRecordingId, manual is not null, continuous, manual?.StopsAt);
    }

    /// <summary>
    /// Starts a manual recording (upstream's <c>POST /api/streams/{name}/recording</c> start): refused while continuous
    /// recording is in effect (configured and inside its schedule) or a manual one runs. The recorder subscribes to the
    /// camera's hub, which connects an on-demand camera. It stops by itself after <c>[storage]
    /// manual_recording_max_minutes</c> (read now; 0 = only when stopped), as a stop request would.
    /// </summary>
    public async Task<ManualRecordingOutcome> StartManualAsync(string stream)
    {
        if (!_cameras.TryGet(stream, out var camera))
        {
            return ManualRecordingOutcome.NotRunning;
        }

        if (RecordingSchedule.ContinuousWanted(camera.Config, _time.GetUtcNow(), _time.LocalTimeZone))
        {
            return ManualRecordingOutcome.ContinuousConfigured;
        }

        var now = _time.GetUtcNow();
        var limit = _storage.Current.ManualRecordingMaxMinutes;
        var manual = new ManualRecording(now, limit > 0 ? now.AddMinutes(limit) : null);
        if (!_manual.TryAdd(stream, manual))
        {
            return ManualRecordingOutcome.AlreadyActive;
        }

        if (limit > 0)
        {
            manual.Timer = _time.CreateTimer(_ => _ = OnManualLimitAsync(stream, manual, limit), null,
                TimeSpan.FromMinutes(limit), Timeout.InfiniteTimeSpan);
        }

        await ApplyAsync(camera).ConfigureAwait(false);
        return ManualRecordingOutcome.Started;
    }

    /// <summary>Stops a manual recording: its segment is finished (or, inside the schedule, continuous recording takes over).</summary>
    public async Task<ManualRecordingOutcome> StopManualAsync(string stream)
    {
        if (!_manual.TryRemove(stream, out var manual))
        {
            return ManualRecordingOutcome.NotManual;
        }

        manual.Dispose();

        if (_cameras.TryGet(stream, out var camera))
        {
            await ApplyAsync(camera).ConfigureAwait(false);
        }

        return ManualRecordingOutcome.Stopped;
    }

    /// <summary>
    /// Brings a camera's recorder in line with what is wanted now: none, or one with the wanted trigger type (a running
    /// recorder switching type cuts its segment at the next keyframe). One camera at a time.
    /// </summary>
    public async Task ApplyAsync(CameraStream camera)
    {
        await _apply.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_stopped || !_cameras.TryGet(camera.Name, out var running) || !ReferenceEquals(running, camera))
            {
                return; // stopping, or a camera that was replaced (restart) or removed meanwhile
            }

            var leased = HoldsLease(camera.Name);
            var trigger = !leased ? null
                : _manual.ContainsKey(camera.Name) ? StreamRecorder.ManualTriggerType
                : RecordingSchedule.ContinuousWanted(camera.Config, _time.GetUtcNow(), _time.LocalTimeZone)
                    ? StreamRecorder.TriggerType
                    : null;
            if (trigger is null)
            {
                if (_recorders.TryGetValue(camera.Name, out var recorder))
                {
                    await recorder.StopAsync().ConfigureAwait(false); // listed until its segment is finished
                    _recorders.TryRemove(camera.Name, out _);
                    LogStopped(camera.Name, !leased ? "recorded by another node (lease)"
                        : camera.Config.Record ? "outside its recording schedule" : "record is off");
                }
            }
            else if (_recorders.TryGetValue(camera.Name, out var recorder))
            {
                if (recorder.LeaseEpoch != _leases?.EpochOf(camera.Name))
                {
                    // The lease was lost and taken back (a new epoch): rows of the old recorder would be refused.
                    await recorder.StopAsync().ConfigureAwait(false);
                    _recorders.TryRemove(camera.Name, out _);
                    StartRecorder(camera, trigger);
                }
                else
                {
                    recorder.SetTrigger(trigger);
                }
            }
            else
            {
                StartRecorder(camera, trigger);
            }
        }
        finally
        {
            _apply.Release();
        }
    }

    /// <summary>The time limit of one manual recording ran out: stop it, unless it was stopped (and maybe started again) meanwhile.</summary>
    private async Task OnManualLimitAsync(string stream, ManualRecording manual, int minutes)
    {
        try
        {
            if (!_manual.TryRemove(new KeyValuePair<string, ManualRecording>(stream, manual)))
            {
                return;
            }

            manual.Dispose();
            LogManualLimit(stream, minutes);
            if (_cameras.TryGet(stream, out var camera))
            {
                await ApplyAsync(camera).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // a timer callback: a failure is logged, never thrown into the timer thread
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogScheduleFailed(e.Message);
        }
    }

    private void StartScheduleClock() =>
        _scheduleClock = _time.CreateTimer(_ => _ = OnScheduleClockAsync(), null, DelayToNextMinute(), Timeout.InfiniteTimeSpan);

    private async Task OnScheduleClockAsync()
    {
        try
        {
            foreach (var camera in _cameras.Cameras)
            {
                await ApplyAsync(camera).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // the schedule check must keep running; a failure is logged and retried next minute
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogScheduleFailed(e.Message);
        }

        if (!_stopped)
        {
            try
            {
                _scheduleClock?.Change(DelayToNextMinute(), Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // stopped meanwhile
            }
        }
    }

    /// <summary>Time to the next whole minute of the wall clock: in (0, 60] s.</summary>
    private TimeSpan DelayToNextMinute()
    {
        var ticks = _time.GetUtcNow().UtcTicks % TimeSpan.TicksPerMinute;
        return TimeSpan.FromTicks(TimeSpan.TicksPerMinute - ticks);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Manual recording of {Stream} stopped after its limit of {Minutes} min ([storage] manual_recording_max_minutes)")]
    private partial void LogManualLimit(string stream, int minutes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording schedule check failed: {Reason}")]
    private partial void LogScheduleFailed(string reason);
}
