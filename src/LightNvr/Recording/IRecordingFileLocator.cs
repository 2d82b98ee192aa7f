namespace LightNvr.Recording;

/// <summary>
/// Where a recording row's file really lies and which derived files go with it (thumbnails). The storage subsystem
/// implements it (<c>Storage.RecordingFileLocator</c>); <see cref="RecordingFiles"/> asks it before unlinking anything.
/// </summary>
public interface IRecordingFileLocator
{
    /// <summary>The real path of a row's file when it may be unlinked (inside the storage folders), else null.</summary>
    string? Resolve(string rowPath);

    /// <summary>Files made from recording <paramref name="id"/> that go when it goes (they may not exist).</summary>
    IEnumerable<string> DerivedFiles(long id);
}
