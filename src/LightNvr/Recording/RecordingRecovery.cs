using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Media.Mp4.Fragmented;

namespace LightNvr.Recording;

/// <summary>
/// Start-up check of the recordings against the crash-consistency order (docs/recording.md), run before any recorder
/// starts: (0) rows still marked for deletion are finished (<see cref="RecordingFiles.FinishMarkedAsync"/>); (1) a row still open (is_complete 0) is a segment cut by a crash: its file is truncated to the last
/// complete fragment (<see cref="Fmp4Repair"/>) and the row completed with the file's real duration and size; a row
/// whose file is gone is deleted. (2) A segment file without a row (a crash between file and row) gets a row
/// (<see cref="SegmentAdopter"/>), or is removed when it holds no fragment. Only a stream's newest file can lack a row
/// (its file is fsync'd before its row is inserted, and a failed insert deletes the file), so (2) looks per stream
/// folder only at files named from <see cref="MaxClockStepBack"/> before the stream's newest row on, checking them
/// against that stream's paths of about the last day: memory and work do not grow with the number of recordings.
/// Never throws for one bad file; counts it and goes on.
/// </summary>
/// <remarks>
/// With recorder nodes sharing a database (<paramref name="nodeId"/> set, docs/scale.md), (1) looks only at this
/// node's open rows: another node's open row is a segment that node is writing right now.
/// </remarks>
public sealed partial class RecordingRecovery(RecordingStore store, RecordingFiles files, StorageOptions storage, TimeProvider time,
    ILogger<RecordingRecovery> logger, string? nodeId = null)
{
    /// <summary>
    /// How far before a stream's newest row a file without a row is still looked for: the wall clock stepping back
    /// between that row and the crash (a DST fall-back is 1 h; an NTP correction at boot rarely more). A larger step
    /// can hide the file from start-up; <c>POST /api/recordings/sync</c> adopts it then.
    /// </summary>
    public static readonly TimeSpan MaxClockStepBack = TimeSpan.FromHours(2);

    /// <summary>Seconds of rows before the threshold whose paths are read with the newest ones: a day.</summary>
    private const long KnownPathsSlack = 86400;

    private readonly SegmentAdopter _adopter = new(store, files, time);

    public async Task<RecoveryReport> RunAsync(CancellationToken ct)
    {
        var report = new RecoveryReport();
        // (0) Deletions a crash interrupted (rows still marked) finish first, so none of them is repaired below.
        report.MarkedFinished = await files.FinishMarkedAsync(ct).ConfigureAwait(false);
        foreach (var row in await store.ListIncompleteAsync(ct, nodeId).ConfigureAwait(false))
        {
            await RepairRowAsync(row, report, ct).ConfigureAwait(false);
        }

        if (Directory.Exists(storage.Mp4Path))
        {
            foreach (var folder in new DirectoryInfo(storage.Mp4Path).EnumerateDirectories())
            {
                if (folder.LinkTarget is null)
                {
                    // Combined as the recorder combines them (SegmentPath.Directory), so paths equal the rows'.
                    await AdoptNewestAsync(Path.Combine(storage.Mp4Path, folder.Name), folder.Name, report, ct)
                        .ConfigureAwait(false);
                }
            }
        }

        LogDone(report.Repaired, report.Adopted, report.RowsDeleted, report.FilesDeleted, report.Failed, report.FilesExamined);
        return report;
    }

    /// <summary>Adopts the files of one stream folder named from the stream's newest row (less the margin) on.</summary>
    private async Task AdoptNewestAsync(string folder, string stream, RecoveryReport report, CancellationToken ct)
    {
        string? from = null;
        IReadOnlySet<string> known = new HashSet<string>();
        if (await store.NewestStartAsync(stream, ct).ConfigureAwait(false) is { } newest)
        {
            var threshold = DateTimeOffset.FromUnixTimeSeconds(newest) - MaxClockStepBack;
            from = SegmentPath.Stamp(TimeZoneInfo.ConvertTime(threshold, time.LocalTimeZone).DateTime);
            // A file named from the threshold on has its row (if any) from about then on; a day more covers any
            // change of UTC offset. Files not found here are looked up once more, exactly, before adoption.
            known = await store.FilePathsSinceAsync(stream, threshold.ToUnixTimeSeconds() - KnownPathsSlack, ct)
                .ConfigureAwait(false);
        }

        foreach (var entry in SegmentWalk.Files(folder, from))
        {
            if (!SegmentPath.TryParseStart(Path.GetFileName(entry.Path), out var localStart)
                || (from is not null && string.CompareOrdinal(SegmentPath.Stamp(localStart), from) < 0)
                || !SegmentPath.FolderFits(entry.Folders, localStart) || entry.IsLink)
            {
                continue;
            }

            report.FilesExamined++;
            if (known.Contains(entry.Path) || await store.HasFileAsync(entry.Path, localStart, ct).ConfigureAwait(false))
            {
                continue;
            }

            try
            {
                var (status, reason) = await _adopter.AdoptAsync(entry.Path, stream, localStart, removeEmpty: true, ct)
                    .ConfigureAwait(false);
                switch (status)
                {
                    case AdoptionStatus.Adopted:
                        report.Adopted++;
                        break;
                    case AdoptionStatus.RemovedEmpty:
                        report.FilesDeleted++;
                        break;
                    default:
                        report.Failed++;
                        LogFailed(entry.Path, reason ?? status.ToString());
                        break;
                }
            }
            catch (IOException e)
            {
                report.Failed++;
                LogFailed(entry.Path, e.Message);
            }
        }
    }

    private async Task RepairRowAsync(RecordingRecord row, RecoveryReport report, CancellationToken ct)
    {
        if (!File.Exists(row.FilePath))
        {
            await files.DiscardAsync(row.Id, row.FilePath, ct).ConfigureAwait(false);
            report.RowsDeleted++;
            return;
        }

        try
        {
            var result = Fmp4Repair.Repair(row.FilePath);
            if (!result.HasInitSegment || result.FragmentCount == 0)
            {
                // Nothing playable: marked, unlinked, forgotten (D4's delete order, RecordingFiles).
                await files.DiscardAsync(row.Id, row.FilePath, ct).ConfigureAwait(false);
                report.RowsDeleted++;
                report.FilesDeleted++;
                return;
            }

            var info = SegmentAdopter.Describe(row.FilePath, result.Duration);
            await store.CompleteAsync(row.Id, row.StartTime + result.Duration, result.Length,
                info?.Width ?? row.Width, info?.Height ?? row.Height, info?.Fps ?? row.Fps, info?.Codec ?? row.Codec, ct)
                .ConfigureAwait(false);
            report.Repaired++;
            LogRepaired(row.FilePath, result.BytesRemoved, result.Duration.TotalSeconds);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            report.Failed++;
            LogFailed(row.FilePath, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording recovery: {Repaired} repaired, {Adopted} adopted, {RowsDeleted} rows and {FilesDeleted} empty files removed, {Failed} failed ({Examined} newest files examined)")]
    private partial void LogDone(int repaired, int adopted, int rowsDeleted, int filesDeleted, int failed, int examined);

    [LoggerMessage(Level = LogLevel.Information, Message = "Repaired {Path}: cut {Bytes} bytes, {Seconds:F1} s kept")]
    private partial void LogRepaired(string path, long bytes, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot recover {Path}: {Reason}")]
    private partial void LogFailed(string path, string reason);
}
