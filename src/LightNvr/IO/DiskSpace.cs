namespace LightNvr.IO;

/// <summary>Total, used and free bytes of the filesystem holding a path (the nearest existing parent if it does not exist yet).</summary>
public sealed record DiskSpace(long Total, long Used, long Free)
{
    public static DiskSpace? Of(string path)
    {
        try
        {
            var dir = new DirectoryInfo(string.IsNullOrEmpty(path) ? "/" : Path.GetFullPath(path));
            while (dir is not null && !dir.Exists)
            {
                dir = dir.Parent;
            }

            if (dir is null)
            {
                return null;
            }

            var drive = new DriveInfo(dir.FullName);
            return new DiskSpace(drive.TotalSize, drive.TotalSize - drive.TotalFreeSpace, drive.AvailableFreeSpace);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
