namespace LightNvr.Recording;

/// <summary>
/// A <c>recording_*.mp4</c> found below a stream folder: its path and the folders between the stream folder and it.
/// </summary>
public sealed record SegmentEntry(string Path, IReadOnlyList<string> Folders)
{
    /// <summary>
    /// Whether it is a symbolic link (never opened: it may point anywhere). One readlink, asked only of the few files
    /// that may be adopted.
    /// </summary>
    public bool IsLink => new FileInfo(Path).LinkTarget is not null;
}
