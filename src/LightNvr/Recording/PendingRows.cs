using System.Text;
using LightNvr.IO;

namespace LightNvr.Recording;

/// <summary>
/// The node's durable queue of recording row writes the database refused (docs/scale.md, "Recording through a
/// database outage"): a journal file of one <see cref="PendingRow"/> JSON line each, appended and fsynced before the
/// segment file is let go, so a crash loses no queued row. At most <see cref="MaxRows"/>; beyond it a segment whose row
/// cannot be written is deleted as before, with one warning per episode. <see cref="PendingRowReplay"/> writes the rows
/// in order when the database answers again and then drops them (<see cref="RemoveFirst"/> rewrites the file beside
/// and renames it over). Reading back ignores a torn last line (a crash in the middle of an append: no newline yet)
/// and any line that is not a whole entry. Thread-safe: recorders append while the replay drains.
/// </summary>
public sealed partial class PendingRows : IDisposable
{
    /// <summary>
    /// Rows held at most: 16 cameras with 60 s segments for about ten hours, at ~300 bytes a line 3 MB of journal.
    /// A longer outage is a failure to repair, not to buffer.
    /// </summary>
    public const int MaxRows = 10_000;

    private readonly Lock _lock = new();
    private readonly List<PendingRow> _rows;
    private readonly ILogger _logger;
    private readonly int _max;
    private FileStream? _append;
    private bool _fullReported;

    private PendingRows(string path, List<PendingRow> rows, ILogger logger, int max)
    {
        Path = path;
        _rows = rows;
        _logger = logger;
        _max = max;
    }

    /// <summary>
    /// <c>&lt;storage path&gt;/.pending-rows/&lt;node id&gt;.jsonl</c>: beside the recordings it describes, one file per
    /// node so nodes sharing a storage path never share a journal.
    /// </summary>
    public static string PathFor(string storagePath, string nodeId)
    {
        var name = new string(nodeId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        return System.IO.Path.Combine(storagePath, ".pending-rows", (name.Length > 0 ? name : "local") + ".jsonl");
    }

    /// <summary>The journal file (under the storage path, one per node).</summary>
    public string Path { get; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _rows.Count;
            }
        }
    }

    /// <summary>
    /// Opens and reads the journal at <paramref name="path"/> (its folder is made by the first append, so a box that never
    /// lost its database has none). A torn or unreadable line is
    /// skipped and the file rewritten without it, so the next append starts on a line of its own.
    /// </summary>
    public static PendingRows Open(string path, ILogger logger, int maxRows = MaxRows)
    {
        ArgumentNullException.ThrowIfNull(path);
        var rows = new List<PendingRow>();
        var skipped = 0;
        string? text = null;
        try
        {
            text = File.Exists(path) ? File.ReadAllText(path, Encoding.UTF8) : null; // the folder appears with the first row
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Storage not writable: the queue starts empty and every append fails (treated as full) until a restart.
            LogUnusable(logger, path, e.Message);
        }
        if (text is not null)
        {
            var lines = text.Split('\n');
            // The part after the last newline is an append a crash cut short (or nothing, when the file ends cleanly).
            skipped += lines[^1].Length > 0 ? 1 : 0;
            foreach (var line in lines[..^1])
            {
                if (line.Length > 0 && PendingRow.Parse(line) is { } row)
                {
                    rows.Add(row);
                }
                else if (line.Length > 0)
                {
                    skipped++;
                }
            }
        }

        var journal = new PendingRows(path, rows, logger, maxRows);
        if (skipped > 0)
        {
            journal.LogSkipped(path, skipped);
            try
            {
                lock (journal._lock)
                {
                    journal.Rewrite();
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogUnusable(logger, path, e.Message);
            }
        }
        else if (rows.Count > 0)
        {
            journal.LogLoaded(path, rows.Count);
        }
        return journal;
    }

    /// <summary>
    /// Appends <paramref name="row"/> and fsyncs; false when the queue is full (the caller deletes the segment, as
    /// without a queue). Throws IOException when the journal cannot be written (the caller treats it as full).
    /// </summary>
    public bool TryAdd(PendingRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var bytes = Encoding.UTF8.GetBytes(row.ToJsonLine() + "\n");
        lock (_lock)
        {
            if (_rows.Count >= _max)
            {
                if (!_fullReported)
                {
                    _fullReported = true;
                    LogFull(_max, Path);
                }
                return false;
            }

            if (_append is null)
            {
                var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
                if (!Directory.Exists(folder))
                {
                    Directory.CreateDirectory(folder);
                    DirectorySync.Sync(System.IO.Path.GetDirectoryName(folder)!);
                }
                _append = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
            }
            _append.Write(bytes);
            _append.Flush(flushToDisk: true);
            _rows.Add(row);
            if (_rows.Count == 1)
            {
                DirectorySync.Sync(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
            }
            return true;
        }
    }

    /// <summary>The queued rows, oldest first (a copy).</summary>
    public IReadOnlyList<PendingRow> Snapshot()
    {
        lock (_lock)
        {
            return _rows.ToArray();
        }
    }

    /// <summary>Drops the <paramref name="count"/> oldest rows (written or given up) and rewrites the journal.</summary>
    public void RemoveFirst(int count)
    {
        if (count <= 0)
        {
            return;
        }

        lock (_lock)
        {
            _rows.RemoveRange(0, Math.Min(count, _rows.Count));
            _fullReported = _fullReported && _rows.Count >= _max;
            Rewrite();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _append?.Dispose();
            _append = null;
        }
    }

    /// <summary>The remaining rows to a file beside, fsynced, renamed over the journal, folder fsynced. Under the lock.</summary>
    private void Rewrite()
    {
        _append?.Dispose();
        _append = null;
        var temporary = Path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            foreach (var row in _rows)
            {
                file.Write(Encoding.UTF8.GetBytes(row.ToJsonLine() + "\n"));
            }
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, Path, overwrite: true);
        DirectorySync.Sync(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Pending-row queue full ({Max} rows, {Path}): segments whose row the database refuses are now deleted until it answers again")]
    private partial void LogFull(int max, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pending-row journal {Path} cannot be used: {Reason}")]
    private static partial void LogUnusable(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pending-row journal {Path}: {Count} torn or unreadable line(s) skipped")]
    private partial void LogSkipped(string path, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pending-row journal {Path}: {Count} row(s) to write once the database answers")]
    private partial void LogLoaded(string path, int count);
}
