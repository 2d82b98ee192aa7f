namespace LightNvr.Recording;

/// <summary>Result of a manual recording start or stop (<see cref="RecordingService.StartManualAsync"/>).</summary>
public enum ManualRecordingOutcome
{
    Started,
    Stopped,

    /// <summary>The stream is not running (disabled, or not started yet).</summary>
    NotRunning,

    /// <summary>Continuous recording is configured and inside its schedule: it records already.</summary>
    ContinuousConfigured,

    /// <summary>A manual recording of the stream is already running.</summary>
    AlreadyActive,

    /// <summary>Stop asked while no manual recording runs.</summary>
    NotManual,
}
