namespace LightNvr.Recording;

/// <summary>
/// What a camera's continuous/manual recorder does now: its trigger type (<c>scheduled</c>, <c>manual</c>; null when
/// no recorder runs), the open row (null between segments), whether a manual recording was asked for and whether
/// continuous recording is in effect (configured and inside its schedule), and when the manual recording stops by itself
/// (<c>[storage] manual_recording_max_minutes</c>; null without a manual recording or a limit).
/// </summary>
public sealed record RecordingState(string? Trigger, long? RecordingId, bool Manual, bool ContinuousInEffect,
    DateTimeOffset? ManualStopsAt = null);
