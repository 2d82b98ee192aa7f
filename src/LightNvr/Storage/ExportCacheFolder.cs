namespace LightNvr.Storage;

/// <summary>
/// One export's folder in the <see cref="ExportCache"/>: generated file names, and on dispose the folder deleted and
/// its reservation returned (registered with the response, so it happens when the response ends, however it ends).
/// </summary>
public sealed class ExportCacheFolder : IDisposable
{
    private readonly Action<long> _release;
    private int _next;
    private int _disposed;

    internal ExportCacheFolder(string path, long reserved, Action<long> release)
    {
        Path = path;
        Reserved = reserved;
        _release = release;
    }

    public string Path { get; }

    /// <summary>Bytes this folder may hold (what the export reserved).</summary>
    public long Reserved { get; }

    /// <summary>A new file name inside the folder (<c>part-0000.tmp</c>, …): never from a request.</summary>
    public string NewFile() =>
        System.IO.Path.Combine(Path, $"part-{Interlocked.Increment(ref _next):0000}.tmp");

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next start-up's clear; the reservation is returned regardless.
        }
        _release(Reserved);
    }
}
