namespace LightNvr.Recording;

/// <summary>
/// One manual recording asked for through the API: when it started and, when <c>[storage]
/// manual_recording_max_minutes</c> was set at that moment, when it stops by itself (its timer runs on the service's
/// <see cref="TimeProvider"/>). Each start is a new instance, so a timer of an earlier, already stopped recording never
/// stops a later one.
/// </summary>
internal sealed class ManualRecording(DateTimeOffset startedAt, DateTimeOffset? stopsAt) : IDisposable
{
    public DateTimeOffset StartedAt { get; } = startedAt;

    /// <summary>When it stops by itself; null = only when stopped.</summary>
    public DateTimeOffset? StopsAt { get; } = stopsAt;

    public ITimer? Timer { get; set; }

    public void Dispose() => Timer?.Dispose();
}
