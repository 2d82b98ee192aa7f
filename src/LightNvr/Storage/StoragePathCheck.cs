using LightNvr.IO;

namespace LightNvr.Storage;

/// <summary>
/// The first-start check of <c>[storage] path</c> (the setup page's storage step): does the folder exist (or can it be
/// created), can this process write a file into it, and how much room its filesystem has. Writing is proven by
/// creating, writing, fsyncing and deleting a small file, since permission bits alone do not show a read-only mount or
/// a full disk.
/// </summary>
public sealed record StoragePathCheck(string Path, bool Exists, bool Writable, long FreeBytes, long TotalBytes, string? Problem)
{
    /// <summary>Below this much free space the check warns: about an hour of four 2 Mbit/s cameras.</summary>
    public const long MinFreeBytes = 4L * 1024 * 1024 * 1024;

    public static StoragePathCheck Run(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(full); // the recorder creates it too; a path that cannot be created fails here
            var probe = System.IO.Path.Combine(full, ".lightnvr-write-check-" + Guid.NewGuid().ToString("N"));
            using (var file = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.DeleteOnClose))
            {
                file.Write("lightnvr"u8);
                file.Flush(flushToDisk: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            var space = DiskSpace.Of(full);
            return new StoragePathCheck(full, Directory.Exists(full), false, space?.Free ?? 0, space?.Total ?? 0,
                $"cannot write to {full}: {e.Message}");
        }
        var disk = DiskSpace.Of(full);
        var problem = disk is { } d && d.Free < MinFreeBytes
            ? $"only {d.Free / (1024 * 1024)} MB free on the filesystem of {full}" : null;
        return new StoragePathCheck(full, true, true, disk?.Free ?? 0, disk?.Total ?? 0, problem);
    }
}
