using LightNvr.Data;

namespace LightNvr.Recording;

/// <summary>
/// The one way a recording's file and its <c>recordings</c> row come and go, in D4's crash-consistency order
/// (docs/recording.md): <b>file before row</b>, <see cref="AddAsync"/> inserts a row only for a file that exists (its
/// writer made it durable first: <see cref="SegmentFile"/> fsyncs file and folder, adoption repairs it);
/// <b>mark before unlink</b>, <see cref="RemoveAsync"/> and <see cref="DiscardAsync"/> mark the row <c>deleting = 1</c>
/// (hidden from lists at once), unlink the file and its derived files (a missing file is fine), then forget the row.
/// A crash between the steps leaves marked rows, which <see cref="FinishMarkedAsync"/> (start-up recovery) completes;
/// so no row ever claims a file that is gone, and no file is left that nothing will clean. Every writer goes through
/// here: the recorder, start-up recovery and adoption, sync, retention, single and batch delete
/// (<c>RecordingFileLifecycleTests</c> fails when another file of the server unlinks or inserts recordings).
/// </summary>
public sealed partial class RecordingFiles(RecordingStore recordings, RetentionStore retention,
    IRecordingFileLocator locator, ILogger<RecordingFiles> logger)
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

    /// <summary>File before row: inserts the open row of a file already on disk; throws when the file is missing.</summary>
    public async Task<long> AddAsync(RecordingRecord recording, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(recording);
        if (!File.Exists(recording.FilePath))
        {
            throw new FileNotFoundException("A recording row is inserted only for a file on disk (file before row)",
                recording.FilePath);
        }
        return await recordings.InsertOpenAsync(recording, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a row the database refused during an outage (<see cref="PendingRows"/>), file before row as always: a
    /// completion is applied to its row (gone = nothing to do); a whole segment is looked up by file first (already
    /// written before a crash, or adopted by sync: only completed), else inserted under the replay fencing rule of
    /// <see cref="RecordingStore.InsertReplayedAsync"/> and completed. A refused segment's file goes, as a refused
    /// live insert's does. Database errors are thrown (the replay stops there and retries later).
    /// </summary>
    public async Task<ReplayOutcome> ReplayAsync(PendingRow pending, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var r = pending.Recording;
        var end = r.EndTime ?? r.StartTime;
        long? id = pending.RowId;
        if (id is null)
        {
            if (!File.Exists(r.FilePath))
            {
                return ReplayOutcome.FileGone;
            }
            id = await recordings.FindFileAsync(r.StreamName, r.StartTime, r.FilePath, ct).ConfigureAwait(false)
                ?? await recordings.InsertReplayedAsync(r, ct).ConfigureAwait(false);
            if (id is null)
            {
                Unlink(r.FilePath);
                return ReplayOutcome.Refused;
            }
        }
        return await recordings.CompleteAsync(id.Value, end, r.SizeBytes, r.Width, r.Height, r.Fps, r.Codec, ct)
            .ConfigureAwait(false) ? ReplayOutcome.Written : ReplayOutcome.FileGone;
    }

    /// <summary>
    /// Deletes complete recordings (oldest-first order is the caller's) <see cref="MaxRowsPerWrite"/> at a time: mark,
    /// unlink, forget. Open segments are never marked (the UPDATE requires is_complete 1 and an end time), and a file
    /// outside the storage folders is never unlinked (its row goes, the file stays). Returns (deleted, bytes freed).
    /// </summary>
    public async Task<(int Count, long Bytes)> RemoveAsync(IReadOnlyList<long> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
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
            var marked = await retention.MarkAsync(group, ct).ConfigureAwait(false);
            var (n, freed) = await UnlinkAndForgetAsync(marked, ct).ConfigureAwait(false);
            count += n;
            bytes += freed;
        }
        return (count, bytes);
    }

    /// <summary>One complete recording (the single DELETE endpoint); false when absent or still open.</summary>
    public async Task<bool> RemoveOneAsync(long id, CancellationToken ct) =>
        (await RemoveAsync([id], ct).ConfigureAwait(false)).Count == 1;

    /// <summary>
    /// A row, open or not, whose file holds nothing to play (no fragment reached the disk, or the file is gone): the
    /// same order, mark, unlink (missing is fine), forget. Used by the recorder and start-up recovery.
    /// </summary>
    public async Task DiscardAsync(long id, string path, CancellationToken ct = default)
    {
        await recordings.MarkDiscardingAsync(id, ct).ConfigureAwait(false);
        if (locator.Resolve(path) is { } real)
        {
            Unlink(real); // missing is fine; another IOException leaves the row marked for start-up
        }
        await recordings.DeleteAsync(id, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A file no row names (a segment that never became playable or whose insert failed, an empty file a crash left,
    /// an orphan removed through <c>DELETE /api/recordings/files</c>): there is no row to mark, so the file just goes. Throws <see cref="IOException"/> when it cannot be unlinked.
    /// </summary>
    public static void DeleteUnrecorded(string path) => Unlink(path);

    /// <summary>File.Delete that treats a missing folder like a missing file (both mean: nothing left to unlink).</summary>
    private static void Unlink(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>A complete row whose file is gone (sync): nothing to unlink; false when the file is there or the row changed.</summary>
    public async Task<bool> ForgetMissingAsync(long id, string path, CancellationToken ct)
    {
        if (locator.Resolve(path) is { } real && File.Exists(real))
        {
            return false;
        }
        return await recordings.RemoveCompleteAsync(id, ct).ConfigureAwait(false);
    }

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
            var (removed, _) = await UnlinkAndForgetAsync(marked, ct).ConfigureAwait(false);
            if (removed == 0)
            {
                return total; // none could be unlinked now: they stay marked for the next start
            }
            total += removed;
        }
    }

    private async Task<(int Count, long Bytes)> UnlinkAndForgetAsync(IReadOnlyList<RecordingRecord> marked, CancellationToken ct)
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
        await retention.RemoveAsync(removable, ct).ConfigureAwait(false);
        return (removable.Count, bytes);
    }

    /// <summary>Unlinks a marked row's file (missing is fine) and derived files; false leaves the row marked for a retry.</summary>
    private bool TryUnlink(RecordingRecord row, out long freed)
    {
        freed = 0;
        try
        {
            var path = locator.Resolve(row.FilePath);
            if (path is null)
            {
                LogOutsideRoot(row.Id, row.FilePath);
            }
            else if (File.Exists(path))
            {
                freed = new FileInfo(path).Length;
                File.Delete(path);
            }
            foreach (var derived in locator.DerivedFiles(row.Id).Where(File.Exists))
            {
                File.Delete(derived);
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
