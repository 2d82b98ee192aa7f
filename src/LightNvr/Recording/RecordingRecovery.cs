using System.Globalization;
using LightNvr.Cameras;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Media;
using LightNvr.Media.Mp4;

namespace LightNvr.Recording;

/// <summary>
/// Start-up check of the recordings against the crash-consistency order (docs/recording.md), run before any recorder
/// starts: (1) a row still open (is_complete 0) is a segment cut by a crash: its file is truncated to the last
/// complete fragment (<see cref="Fmp4Repair"/>) and the row completed with the file's real duration and size; a row
/// whose file is gone is deleted. (2) A segment file without a row (a crash between file and row) gets a row, or is
/// removed when it holds no fragment. Never throws for one bad file; counts it and goes on.
/// </summary>
public sealed partial class RecordingRecovery(RecordingStore store, StorageOptions storage, TimeProvider time,
    ILogger<RecordingRecovery> logger)
{
    public async Task<RecoveryReport> RunAsync(CancellationToken ct)
    {
        var report = new RecoveryReport();
        foreach (var row in await store.ListIncompleteAsync(ct).ConfigureAwait(false))
        {
            await RepairRowAsync(row, report, ct).ConfigureAwait(false);
        }

        if (Directory.Exists(storage.Mp4Path))
        {
            var known = await store.ListFilePathsAsync(ct).ConfigureAwait(false);
            foreach (var path in Directory.EnumerateFiles(storage.Mp4Path, SegmentPath.Prefix + "*" + SegmentPath.Extension,
                         SearchOption.AllDirectories))
            {
                if (!known.Contains(path))
                {
                    await AdoptAsync(path, report, ct).ConfigureAwait(false);
                }
            }
        }

        LogDone(report.Repaired, report.Adopted, report.RowsDeleted, report.FilesDeleted, report.Failed);
        return report;
    }

    private async Task RepairRowAsync(RecordingRecord row, RecoveryReport report, CancellationToken ct)
    {
        if (!File.Exists(row.FilePath))
        {
            await store.DeleteAsync(row.Id, ct).ConfigureAwait(false);
            report.RowsDeleted++;
            return;
        }

        try
        {
            var result = Fmp4Repair.Repair(row.FilePath);
            if (!result.HasInitSegment || result.FragmentCount == 0)
            {
                // Nothing playable: the row goes first, then the file (D4's delete order).
                await store.DeleteAsync(row.Id, ct).ConfigureAwait(false);
                File.Delete(row.FilePath);
                report.RowsDeleted++;
                report.FilesDeleted++;
                return;
            }

            var info = Describe(row.FilePath, result.Duration);
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

    private async Task AdoptAsync(string path, RecoveryReport report, CancellationToken ct)
    {
        try
        {
            var result = Fmp4Repair.Repair(path);
            if (!result.HasInitSegment || result.FragmentCount == 0)
            {
                File.Delete(path); // created, crashed before its first fragment and its row: holds nothing
                report.FilesDeleted++;
                return;
            }

            var stream = Path.GetRelativePath(storage.Mp4Path, path).Split(Path.DirectorySeparatorChar)[0];
            var start = StartFromName(path) ?? new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero) - result.Duration;
            var info = Describe(path, result.Duration);
            var id = await store.InsertOpenAsync(new RecordingRecord
            {
                StreamName = stream,
                FilePath = path,
                StartTime = start,
                SizeBytes = result.Length,
                TriggerType = StreamRecorder.TriggerType,
            }, ct).ConfigureAwait(false);
            await store.CompleteAsync(id, start + result.Duration, result.Length, info?.Width ?? 0, info?.Height ?? 0,
                info?.Fps ?? 0, info?.Codec ?? "", ct).ConfigureAwait(false);
            report.Adopted++;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            report.Failed++;
            LogFailed(path, e.Message);
        }
    }

    /// <summary>The segment's start from its name (local time, as <see cref="SegmentPath.FileName"/> wrote it).</summary>
    private DateTimeOffset? StartFromName(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        if (name.Length < SegmentPath.Prefix.Length + 15
            || !DateTime.TryParseExact(name.AsSpan(SegmentPath.Prefix.Length, 15), "yyyyMMdd_HHmmss",
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return null;
        }

        var zone = time.LocalTimeZone;
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static VideoInfo? Describe(string path, TimeSpan duration)
    {
        var index = Fmp4Reader.Read(path);
        var video = index.Tracks.FirstOrDefault(t => t.Track.Kind == MediaKind.Video && t.Track.Codec != MediaCodec.Unknown);
        if (video is null)
        {
            return null;
        }

        var fps = duration > TimeSpan.Zero ? (int)Math.Round(video.Samples.Count / duration.TotalSeconds) : 0;
        return new VideoInfo(VideoInfoProbe.CodecName(video.Track.Codec), video.Track.Width, video.Track.Height, fps);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording recovery: {Repaired} repaired, {Adopted} adopted, {RowsDeleted} rows and {FilesDeleted} empty files removed, {Failed} failed")]
    private partial void LogDone(int repaired, int adopted, int rowsDeleted, int filesDeleted, int failed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Repaired {Path}: cut {Bytes} bytes, {Seconds:F1} s kept")]
    private partial void LogRepaired(string path, long bytes, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot recover {Path}: {Reason}")]
    private partial void LogFailed(string path, string reason);
}
