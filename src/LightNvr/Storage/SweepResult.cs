namespace LightNvr.Storage;

/// <summary>What one retention pass deleted.</summary>
public sealed class SweepResult
{
    public int Deleted { get; set; }
    public long FreedBytes { get; set; }

    /// <summary>Nothing was looked at: this node's shared storage location is swept by another node now (docs/scale.md).</summary>
    public bool NotThisNode { get; set; }

    /// <summary>Events (<c>detection_events</c> rows) past <c>detection_retention_days</c> deleted (<see cref="DetectionPurge"/>).</summary>
    public int EventsPurged { get; set; }

    /// <summary><c>detections</c> rows past <c>detection_retention_days</c> deleted.</summary>
    public int DetectionsPurged { get; set; }
}
