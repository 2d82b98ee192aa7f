using LightNvr.IO;


namespace LightNvr.Storage;

/// <summary>Free and total bytes of the filesystem holding the storage folder; tests inject pressure through it.</summary>
public interface IDiskSpaceProbe
{
    DiskSpace? Probe(string path);
}
