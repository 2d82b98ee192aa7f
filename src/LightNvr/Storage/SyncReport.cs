namespace LightNvr.Storage;

/// <summary>What a database/disk sync found and changed.</summary>
public sealed class SyncReport
{
    public int RowsRemoved { get; set; }
    public int RowsUpdated { get; set; }
    public int OrphanCount { get; set; }
    public List<string> Orphans { get; } = [];
}
