using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Recording;

namespace LightNvr.Storage;

/// <summary>
/// <c>POST /api/recordings/sync</c>: reconciles the database with the disk while recording goes on. Complete rows whose
/// file is gone are removed (no file, so no unlink step); a complete row whose size on disk changed is updated.
/// A segment file with no row is adopted (<see cref="SegmentAdopter"/>: repaired to its last complete fragment, a
/// complete row from its name and contents) when it lies in a known stream's folder where <c>mp4_directory_format</c>
/// puts it, is named <c>recording_YYYYmmdd_HHMMSS[_N].mp4</c>, is no symbolic link (links are never followed), is not a
/// recorder's open segment (<see cref="OpenSegments"/>) and holds at least one fragment; any other is reported with
/// the reason. One sync at a time.
/// </summary>
public sealed class RecordingSync(RecordingStore recordings, StreamStore streams, StorageOptions options,
    StorageRoot root, OpenSegments open, RecordingFiles files, TimeProvider time)
{
    /// <summary>Orphan paths listed in the reply at most (the count is exact).</summary>
    public const int MaxReportedOrphans = 100;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SegmentAdopter _adopter = new(recordings, files, time);

    public async Task<SyncReport> RunAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var report = new SyncReport();
            var (known, names) = await ReconcileRowsAsync(report, ct).ConfigureAwait(false);
            foreach (var s in await streams.ListAsync(ct).ConfigureAwait(false))
            {
                names.Add(s.Name);
            }
            await AdoptOrphansAsync(known, names, report, ct).ConfigureAwait(false);
            return report;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes complete rows without a file, fixes sizes; returns every row's path and every stream name.</summary>
    private async Task<(HashSet<string> Known, HashSet<string> Streams)> ReconcileRowsAsync(SyncReport report, CancellationToken ct)
    {
        var rows = await recordings.ListFilesAsync(ct).ConfigureAwait(false);
        // Rows being deleted count as known: their file is about to go, it is no orphan.
        var known = rows.Select(r => r.FilePath).ToHashSet(StringComparer.Ordinal);
        var names = rows.Select(r => r.StreamName).ToHashSet(StringComparer.Ordinal);
        foreach (var row in rows.Where(r => r is { IsComplete: true, Deleting: false }))
        {
            var real = root.Resolve(row.FilePath);
            if (real is null || !File.Exists(real))
            {
                report.RowsRemoved += await files.ForgetMissingAsync(row.Id, row.FilePath, ct).ConfigureAwait(false) ? 1 : 0;
            }
            else if (new FileInfo(real).Length is var length && length != row.SizeBytes)
            {
                report.RowsUpdated += await recordings.SetSizeAsync(row.Id, length, ct).ConfigureAwait(false) ? 1 : 0;
            }
        }
        return (known, names);
    }

    private async Task AdoptOrphansAsync(HashSet<string> known, HashSet<string> streamNames, SyncReport report,
        CancellationToken ct)
    {
        var mp4 = options.Mp4Path; // as the recorder builds row paths (SegmentPath.Directory), not normalised
        if (!Directory.Exists(mp4))
        {
            return;
        }
        foreach (var file in Directory.EnumerateFiles(mp4, SegmentPath.Prefix + "*" + SegmentPath.Extension))
        {
            report.NotAdopted(file, "not in a stream's folder");
        }
        foreach (var folder in new DirectoryInfo(mp4).EnumerateDirectories())
        {
            if (folder.LinkTarget is not null)
            {
                continue; // never entered: it may lead out of the storage folder
            }
            var stream = streamNames.Contains(folder.Name) ? folder.Name : null;
            foreach (var entry in SegmentWalk.Files(Path.Combine(mp4, folder.Name), fromStamp: null))
            {
                if (!known.Contains(entry.Path))
                {
                    await AdoptAsync(entry, stream, report, ct).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task AdoptAsync(SegmentEntry entry, string? stream, SyncReport report, CancellationToken ct)
    {
        if (entry.IsLink)
        {
            report.NotAdopted(entry.Path, "symbolic link (never followed)");
            return;
        }
        if (stream is null)
        {
            report.NotAdopted(entry.Path, "not in a known stream's folder");
            return;
        }
        if (!SegmentPath.TryParseStart(Path.GetFileName(entry.Path), out var localStart))
        {
            report.NotAdopted(entry.Path, "name is not recording_YYYYmmdd_HHMMSS.mp4");
            return;
        }
        if (!SegmentPath.FolderFits(entry.Folders, localStart))
        {
            report.NotAdopted(entry.Path, "folder does not match the date in its name (mp4_directory_format)");
            return;
        }
        // A recorder may have created it after the rows were read: skip it while any file is being created, and look
        // for its row again (inserted meanwhile) once none is.
        if (open.MayBeOpen(entry.Path))
        {
            report.NotAdopted(entry.Path, "open segment (being recorded)");
            return;
        }
        if (await recordings.HasFileAsync(entry.Path, localStart, ct).ConfigureAwait(false))
        {
            return;
        }
        var (status, reason) = await _adopter.AdoptAsync(entry.Path, stream, localStart, removeEmpty: false, ct)
            .ConfigureAwait(false);
        if (status == AdoptionStatus.Adopted)
        {
            report.RowsAdopted++;
        }
        else
        {
            report.NotAdopted(entry.Path, reason ?? status.ToString());
        }
    }
}
