namespace LightNvr.Recording;

/// <summary>What <see cref="RecordingRecovery"/> did at start-up.</summary>
public sealed class RecoveryReport
{
    /// <summary>Rows a crash left marked for deletion whose deletion was finished.</summary>
    public int MarkedFinished { get; set; }

    /// <summary>Open rows whose file was repaired and whose row was completed.</summary>
    public int Repaired { get; set; }

    /// <summary>Files without a row that got one.</summary>
    public int Adopted { get; set; }

    public int RowsDeleted { get; set; }

    public int FilesDeleted { get; set; }

    public int Failed { get; set; }

    /// <summary>
    /// Segment files looked at for adoption (each one checked against the database): only those named from shortly
    /// before each stream's newest row on, so this stays small however many recordings there are.
    /// </summary>
    public int FilesExamined { get; set; }
}
