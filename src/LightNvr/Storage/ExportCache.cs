namespace LightNvr.Storage;

/// <summary>
/// Where an export keeps the segments it fetched from other recorder nodes (docs/scale.md "Export across nodes"):
/// <c>&lt;storage&gt;/.export-cache/&lt;random&gt;/</c>, one folder per export response, deleted when the response
/// ends, and the whole cache emptied at start-up and shutdown (a crash leaves nothing for long). The bytes all
/// exports may hold at once are capped (<see cref="MaxBytes"/>): each export reserves its segments' sizes before it
/// fetches and gives them back with its folder. Names inside are generated (<c>part-0000.tmp</c>), never taken from
/// a request or a row, and never look like a recording (<c>recording_*.mp4</c>), so recovery and sync ignore them.
/// </summary>
public sealed class ExportCache(StorageRoot root) : IHostedService
{
    /// <summary>
    /// 4 GiB: the longest export (2 h) of a 4 Mbit/s camera held wholly by other nodes is about 3.6 GB, so one such
    /// export fits; several smaller ones share the rest.
    /// </summary>
    public const long MaxBytes = 4L * 1024 * 1024 * 1024;

    /// <summary>The cache's folder name under the storage path (a dot: not a stream folder's name).</summary>
    public const string FolderName = ".export-cache";

    private readonly object _gate = new();
    private long _reserved;

    public string Folder { get; } = Path.Combine(root.Path, FolderName);

    /// <summary>Bytes reserved by the exports running now.</summary>
    public long Reserved
    {
        get
        {
            lock (_gate)
            {
                return _reserved;
            }
        }
    }

    /// <summary>A new, empty folder holding a reservation of <paramref name="bytes"/>; null while the cache is too full.</summary>
    public ExportCacheFolder? TryCreate(long bytes, long limit = MaxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_gate)
        {
            if (_reserved + bytes > limit)
            {
                return null;
            }
            _reserved += bytes;
        }
        var path = Path.Combine(Folder, Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(path);
        }
        catch
        {
            Release(bytes);
            throw;
        }
        return new ExportCacheFolder(path, bytes, Release);
    }

    /// <summary>Deletes everything under the cache folder (start-up and shutdown: no export is running then).</summary>
    public void Clear()
    {
        try
        {
            if (Directory.Exists(Folder) && new DirectoryInfo(Folder).LinkTarget is null)
            {
                Directory.Delete(Folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover folder only costs disk until the next start; the export itself does not depend on this.
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Clear();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Clear();
        return Task.CompletedTask;
    }

    private void Release(long bytes)
    {
        lock (_gate)
        {
            _reserved -= bytes;
        }
    }
}
