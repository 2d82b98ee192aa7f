namespace LightNvr.Recording;

/// <summary>What became of a queued row write (<see cref="RecordingFiles.ReplayAsync"/>).</summary>
public enum ReplayOutcome
{
    /// <summary>The row is in the database, complete.</summary>
    Written,

    /// <summary>Its file or row is gone meanwhile (deleted by hand, or by retention): nothing to write.</summary>
    FileGone,

    /// <summary>Fencing refused it (another node recorded the camera then): the file was deleted.</summary>
    Refused,
}
