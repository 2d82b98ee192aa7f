using System.Runtime.InteropServices;

namespace LightNvr.IO;

/// <summary>
/// fsync of a folder, so a newly created file's directory entry survives a power cut (D4's order: create and fsync
/// the file, fsync its folder, then insert the row; Moonfire design/schema.md). .NET has no API for it, so this calls
/// libc's open/fsync/close; on other systems it does nothing.
/// </summary>
public static class DirectorySync
{
    private const int ReadOnlyDirectoryFlags = 0x10000; // O_RDONLY | O_DIRECTORY on Linux (x86-64 and arm64)

    /// <summary>Returns false when the folder could not be synced (the caller logs; it is not fatal).</summary>
    public static bool Sync(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return true;
        }

        var fd = Open(directory, ReadOnlyDirectoryFlags);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            return Fsync(fd) == 0;
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
