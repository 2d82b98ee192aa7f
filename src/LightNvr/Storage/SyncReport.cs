namespace LightNvr.Storage;

/// <summary>What a database/disk sync found and changed.</summary>
public sealed class SyncReport
{
    public int RowsRemoved { get; set; }
    public int RowsUpdated { get; set; }

    /// <summary>Segment files without a row that got one.</summary>
    public int RowsAdopted { get; set; }

    /// <summary>Segment files left without a row (exact count).</summary>
    public int OrphanCount { get; set; }

    /// <summary>The first <see cref="RecordingSync.MaxReportedOrphans"/> of them with the reason each was not adopted.</summary>
    public List<(string Path, string Reason)> Orphans { get; } = [];

    public void NotAdopted(string path, string reason)
    {
        if (Orphans.Count < RecordingSync.MaxReportedOrphans)
        {
            Orphans.Add((path, reason));
        }
        OrphanCount++;
    }
}
