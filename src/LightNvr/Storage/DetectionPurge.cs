using LightNvr.Data;

namespace LightNvr.Storage;

/// <summary>
/// The retention sweep's step for what detection leaves beside recordings (docs/events.md, docs/storage.md): per stream,
/// events (<c>detection_events</c>, with their snapshot JPEGs) that started and <c>detections</c> rows stamped more than
/// <c>detection_retention_days</c> ago (-1 inherits the stream's retention, which inherits
/// <c>[storage] retention_days</c>; 0 keeps them forever) are deleted oldest first in batches of
/// <see cref="StorageService.MaxBatchRows"/>. Open events are never deleted. Streams no longer configured use the
/// global retention, as their recordings do. Like the recordings' retention (docs/scale.md "Retention with several
/// nodes"), it takes only the rows of <paramref name="scope"/>: this node's own (it wrote their snapshots on its disk),
/// or a shared location's while this node holds its sweep lease; rows from before the nodes only on a lone node.
/// </summary>
public sealed class DetectionPurge(EventStore events, DetectionStore detections, StorageRoot root)
{
    private readonly string _snapshots = Path.Combine(root.Path, "snapshots");

    public async Task RunAsync(IReadOnlyDictionary<string, StreamConfig> configured, int globalDays, long now, SweepResult result,
        CancellationToken ct, RetentionScope? scope = null)
    {
        var names = (await events.StreamsAsync(ct).ConfigureAwait(false))
            .Union(await detections.StreamsAsync(ct).ConfigureAwait(false), StringComparer.Ordinal);
        foreach (var name in names)
        {
            configured.TryGetValue(name, out var stream);
            var days = RetentionSweep.EffectiveDays(stream?.RetentionDays ?? -1, globalDays);
            var detectionDays = RetentionSweep.EffectiveDays(stream?.DetectionRetentionDays ?? -1, days);
            if (detectionDays <= 0)
            {
                continue;
            }
            var before = now - (detectionDays * 86400L);
            int deleted;
            do
            {
                List<string> snapshots;
                (deleted, snapshots) = await events.PurgeAsync(name, before, StorageService.MaxBatchRows, ct, scope).ConfigureAwait(false);
                result.EventsPurged += deleted;
                snapshots.ForEach(DeleteSnapshot);
                await Task.Yield(); // between batches: recorders and API requests get the database
            }
            while (deleted == StorageService.MaxBatchRows);
            do
            {
                deleted = await detections.PurgeAsync(name, before, StorageService.MaxBatchRows, ct, scope).ConfigureAwait(false);
                result.DetectionsPurged += deleted;
                await Task.Yield();
            }
            while (deleted == StorageService.MaxBatchRows);
        }
    }

    /// <summary>Removes an event's JPEG when it lies under <c>&lt;storage&gt;/snapshots</c> (a row never names another file to delete).</summary>
    private void DeleteSnapshot(string path)
    {
        var full = StorageRoot.RealPath(Path.GetFullPath(path)) ?? Path.GetFullPath(path);
        if (!StorageRoot.IsUnder(full, _snapshots) || full == _snapshots)
        {
            return;
        }
        try
        {
            File.Delete(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind: a later sweep does not see the row again, but a stray JPEG costs less than a failed sweep.
        }
    }
}
