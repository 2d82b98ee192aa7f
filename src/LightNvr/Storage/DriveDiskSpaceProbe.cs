using LightNvr.IO;


namespace LightNvr.Storage;

/// <summary>statvfs of the storage folder's mount, through <see cref="DriveInfo"/> (<see cref="DiskSpace.Of"/>).</summary>
public sealed class DriveDiskSpaceProbe : IDiskSpaceProbe
{
    public DiskSpace? Probe(string path) => DiskSpace.Of(path);
}
