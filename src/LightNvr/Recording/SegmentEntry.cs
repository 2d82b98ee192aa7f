namespace LightNvr.Recording;

/// <summary>
/// A <c>recording_*.mp4</c> found below a stream folder: its full path, the folders between the stream folder and it,
/// and whether it is a symbolic link (never opened: it may point anywhere).
/// </summary>
public sealed record SegmentEntry(string Path, IReadOnlyList<string> Folders, bool IsLink);
