namespace LightNvr.Data;

/// <summary>One recording row as sync sees it: its file and whether the row is settled.</summary>
public sealed record RecordingFileRow(long Id, string FilePath, long SizeBytes, bool IsComplete, bool Deleting, string StreamName);
