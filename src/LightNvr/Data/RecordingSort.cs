namespace LightNvr.Data;

/// <summary>The columns upstream lets a recordings list sort by (lightnvr-api.md §4.3).</summary>
public enum RecordingSort
{
    StartTime,
    Id,
    StreamName,
    EndTime,
    SizeBytes,
}
