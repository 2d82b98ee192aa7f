using LightNvr.Data;

namespace LightNvr.Storage;

/// <summary>
/// Deletes recordings in the crash-safe order of D4: (1) mark the rows <c>deleting = 1</c> (hidden from lists at once),
/// (2) unlink each file and its thumbnails, (3) delete the rows. A crash after (1) or (2) leaves marked rows;
/// <see cref="FinishMarkedAsync"/> (run at start-up) completes them, tolerating files already gone. Open segments are
/// never marked (the UPDATE requires is_complete 1 and an end time). A file outside the storage root is never
/// unlinked: its row is removed and the file left where it is. Many rows go <see cref="MaxRowsPerWrite"/> at a time
/// (mark, unlink, remove), with a short pause between groups, so the recorders' and the API's writes get the lock.
/// </summary>
public sealed partial class RecordingDeleter(RetentionStore store, RecordingStore recordings, StorageRoot root,
    ILogger<RecordingDeleter> logger)
{
    /// <summary>
    /// Rows per write transaction. bench/storage sweep (docs/BENCHMARKS.md): with the sweep's 500-row batches in one
    /// transaction each, the write lock was held 5–20 ms at a time and a recorder's write, waiting in SQLite's busy
    /// handler (sleeps of 1, 2, 5, 10… ms), took up to 86 ms; 100 rows hold it a few ms.
    /// </summary>
    public const int MaxRowsPerWrite = 100;

    /// <summary>
    /// Pause after each group's last write: a writer asleep in the busy handler wakes to a free lock instead of the
    /// next group's (SQLite's lock has no queue). 1 ms × 1,000 groups is 1 s of a 100,000-file sweep.
    /// </summary>
    private static readonly TimeSpan PauseBetweenWrites = TimeSpan.FromMilliseconds(1);

    /// <summary>Deletes the given rows (oldest-first order is the caller's); returns (deleted, bytes freed).</summary>
    public async Task<(int Count, long Bytes)> DeleteAsync(IReadOnlyList<long> ids, CancellationToken ct)
    {
        int count = 0;
        long bytes = 0;
        var first = true;
        foreach (var group in ids.Chunk(MaxRowsPerWrite))
        {
            if (!first)
            {
                await Task.Delay(PauseBetweenWrites, ct).ConfigureAwait(false);
            }
            first = false;
            var marked = await store.MarkAsync(group, ct).ConfigureAwait(false);
            var (n, freed) = await UnlinkAndRemoveAsync(marked, ct).ConfigureAwait(false);
            count += n;
            bytes += freed;
        }
        return (count, bytes);
    }

    /// <summary>One recording (the single DELETE endpoint); false when absent or still open.</summary>
    public async Task<bool> DeleteOneAsync(long id, CancellationToken ct) =>
        (await DeleteAsync([id], ct).ConfigureAwait(false)).Count == 1;

    /// <summary>Completes deletions a crash interrupted (rows still marked). Returns how many rows it removed.</summary>
    public async Task<int> FinishMarkedAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var marked = await recordings.ListMarkedAsync(MaxRowsPerWrite, ct).ConfigureAwait(false);
            if (marked.Count == 0)
            {
                return total;
            }
            total += (await UnlinkAndRemoveAsync(marked, ct).ConfigureAwait(false)).Count;
        }
    }

    private async Task<(int Count, long Bytes)> UnlinkAndRemoveAsync(IReadOnlyList<RecordingRecord> marked, CancellationToken ct)
    {
        long bytes = 0;
        var removable = new List<RecordingRecord>(marked.Count);
        foreach (var row in marked)
        {
            if (TryUnlink(row, out var freed))
            {
                bytes += freed;
                removable.Add(row);
            }
        }
        await store.RemoveAsync(removable, ct).ConfigureAwait(false);
        return (removable.Count, bytes);
    }

    /// <summary>Unlinks a marked row's file (missing is fine) and thumbnails; false leaves the row marked for a retry.</summary>
    private bool TryUnlink(RecordingRecord row, out long freed)
    {
        freed = 0;
        try
        {
            var path = root.Resolve(row.FilePath);
            if (path is null)
            {
                LogOutsideRoot(row.Id, row.FilePath);
            }
            else if (File.Exists(path))
            {
                freed = new FileInfo(path).Length;
                File.Delete(path);
            }
            foreach (var thumb in ThumbnailService.PathsOf(root, row.Id).Where(File.Exists))
            {
                File.Delete(thumb);
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogUnlinkFailed(row.Id, row.FilePath, e.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {Id}: file {Path} is outside the storage folder; row removed, file kept")]
    private partial void LogOutsideRoot(long id, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {Id}: could not delete {Path}: {Reason}; will retry")]
    private partial void LogUnlinkFailed(long id, string path, string reason);
}
