using LightNvr.Recording;

namespace LightNvr.Storage;

/// <summary>Recording files through <see cref="StorageRoot.Resolve"/> (never outside the storage folders) with their thumbnails.</summary>
public sealed class RecordingFileLocator(StorageRoot root) : IRecordingFileLocator
{
    public string? Resolve(string rowPath) => root.Resolve(rowPath);

    public IEnumerable<string> DerivedFiles(long id) => ThumbnailService.PathsOf(root, id);
}
