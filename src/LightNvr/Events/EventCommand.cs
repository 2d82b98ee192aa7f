namespace LightNvr.Events;

/// <summary>What the event loop's queue carries: an observation (with a trigger's hold), a release, or an attachment.</summary>
internal abstract record EventCommand
{
    /// <param name="Tags">Recording tags of an external trigger (applied to the event's recording).</param>
    public sealed record Observe(Observation Observation, DateTimeOffset? HoldUntil, IReadOnlyList<string>? Tags = null) : EventCommand;

    public sealed record Release(string Stream, ObservationSource Source, string? Label, DateTimeOffset At) : EventCommand;

    /// <summary>A snapshot file or a recording id for an event (from <see cref="EventSnapshots"/> or <see cref="EventRecorder"/>).</summary>
    public sealed record Attach(long EventId, string? SnapshotPath, long? RecordingId) : EventCommand;
}
