using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Recording;

namespace LightNvr.Storage;

/// <summary>
/// One pass of the storage manager (docs/storage.md), each step deleting oldest first in batches of
/// <see cref="StorageService.MaxBatchRows"/> and yielding between batches:
/// (1) age: per stream, <c>retention_days</c> (-1 inherits <c>[storage] retention_days</c>, 0 keeps forever) for
/// recordings not triggered by detection, <c>detection_retention_days</c> (-1 inherits the stream's retention) for those
/// that were; a per-recording override replaces both and only its own days expire it (0 = forever);
/// (2) per-stream <c>max_storage_mb</c> quotas; (3) global <c>max_size</c>; (4) free space below <c>min_free_pct</c>;
/// then events and detection rows past <c>detection_retention_days</c> (<see cref="DetectionPurge"/>).
/// Protected rows, rows with an override and open segments are never candidates in (1)–(4).
/// </summary>
/// <remarks>
/// With recorder nodes, <paramref name="location"/> limits every step to the rows whose files this node reaches
/// (<see cref="SweepLocation"/>); quotas, <c>max_size</c> and free space are then per storage location. Null = every
/// row (one box).
/// </remarks>
public sealed class RetentionSweep(RetentionStore store, RecordingFiles files, StreamStore streams, StorageRoot root,
    IDiskSpaceProbe disk, ConfigSection<StorageOptions> storage, TimeProvider time, DetectionPurge purge,
    SweepLocation? location = null)
{
    public async Task<SweepResult> RunAsync(bool aggressive, CancellationToken ct)
    {
        var result = new SweepResult();
        var scope = location is null ? RetentionScope.Everything : await location.ScopeAsync(ct).ConfigureAwait(false);
        if (scope is null)
        {
            result.NotThisNode = true; // a shared location another node sweeps now
            return result;
        }
        var options = storage.Current; // this sweep's settings, from one snapshot
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var configured = (await streams.ListAsync(ct).ConfigureAwait(false)).ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var name in await store.StreamsWithRecordingsAsync(ct).ConfigureAwait(false))
        {
            configured.TryGetValue(name, out var stream);
            var days = EffectiveDays(stream?.RetentionDays ?? -1, options.RetentionDays);
            var detectionDays = EffectiveDays(stream?.DetectionRetentionDays ?? -1, days);
            if (days > 0)
            {
                await DrainAsync(() => store.OldestAsync(name, now - (days * 86400L), false, StorageService.MaxBatchRows, ct, scope),
                    result, ct).ConfigureAwait(false);
            }
            if (detectionDays > 0)
            {
                await DrainAsync(() => store.OldestAsync(name, now - (detectionDays * 86400L), true, StorageService.MaxBatchRows, ct, scope),
                    result, ct).ConfigureAwait(false);
            }
            if (stream is { MaxStorageMb: > 0 })
            {
                var quota = stream.MaxStorageMb * 1024 * 1024;
                await DeleteWhileAsync(name, async () => await store.UsedBytesAsync(name, ct, scope).ConfigureAwait(false) - quota,
                    scope, result, ct).ConfigureAwait(false);
            }
        }
        await DrainAsync(() => store.ExpiredOverridesAsync(now, StorageService.MaxBatchRows, ct, scope), result, ct).ConfigureAwait(false);
        if (options.MaxSize > 0)
        {
            await DeleteWhileAsync(null, async () => await store.UsedBytesAsync(null, ct, scope).ConfigureAwait(false) - options.MaxSize,
                scope, result, ct).ConfigureAwait(false);
        }
        var target = aggressive ? Math.Max(options.MinFreePct, options.PressureWarningPct) : options.MinFreePct;
        if (options.AutoDeleteOldest && target > 0)
        {
            await DeleteWhileAsync(null, () => Task.FromResult(BytesBelowFreeTarget(target)), scope, result, ct).ConfigureAwait(false);
        }
        await purge.RunAsync(configured, options.RetentionDays, now, result, ct, scope).ConfigureAwait(false);
        await store.WriteDailyTotalsAsync(ct).ConfigureAwait(false);
        return result;
    }

    /// <summary>Free space in percent of the storage filesystem, or null when it cannot be read.</summary>
    public double? FreePercent() =>
        disk.Probe(root.Path) is { Total: > 0 } d ? d.Free * 100.0 / d.Total : null;

    /// <summary>The level for a free-space percentage, using the configured thresholds.</summary>
    public PressureLevel LevelOf(double? freePct)
    {
        var o = storage.Current;
        return freePct switch
        {
            null => PressureLevel.Normal,
            var f when f < o.PressureEmergencyPct => PressureLevel.Emergency,
            var f when f < o.PressureCriticalPct => PressureLevel.Critical,
            var f when f < o.PressureWarningPct => PressureLevel.Warning,
            _ => PressureLevel.Normal,
        };
    }

    /// <summary>Tri-state retention: -1 (or any negative) inherits, 0 keeps forever, N days.</summary>
    public static int EffectiveDays(int own, int inherited) => own < 0 ? inherited : own;

    private async Task DrainAsync(Func<Task<List<RecordingRecord>>> next, SweepResult result, CancellationToken ct)
    {
        while (true)
        {
            var batch = await next().ConfigureAwait(false);
            if (batch.Count == 0 || !await DeleteBatchAsync(batch, result, ct).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Bytes to free so that free space reaches <paramref name="targetPct"/> (≤ 0: none; unknown disk: none).</summary>
    private long BytesBelowFreeTarget(int targetPct) =>
        disk.Probe(root.Path) is { Total: > 0 } d ? (long)Math.Ceiling(d.Total * targetPct / 100.0) - d.Free : 0;

    /// <summary>
    /// Deletes the oldest eligible recordings while <paramref name="bytesOver"/> is positive: from each batch of the
    /// oldest, only as many as cover the excess (by their recorded sizes), then the excess is measured again.
    /// </summary>
    private async Task DeleteWhileAsync(string? stream, Func<Task<long>> bytesOver, RetentionScope scope, SweepResult result,
        CancellationToken ct)
    {
        long over;
        while ((over = await bytesOver().ConfigureAwait(false)) > 0)
        {
            var batch = await store.OldestAsync(stream, null, null, StorageService.MaxPressureBatchRows, ct, scope).ConfigureAwait(false);
            var take = new List<RecordingRecord>();
            long sum = 0;
            foreach (var row in batch)
            {
                take.Add(row);
                sum += Math.Max(1, row.SizeBytes);
                if (sum >= over)
                {
                    break;
                }
            }
            if (take.Count == 0 || !await DeleteBatchAsync(take, result, ct).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private async Task<bool> DeleteBatchAsync(List<RecordingRecord> batch, SweepResult result, CancellationToken ct)
    {
        var (count, bytes) = await files.RemoveAsync(batch.Select(r => r.Id).ToList(), ct).ConfigureAwait(false);
        result.Deleted += count;
        result.FreedBytes += bytes;
        await Task.Yield(); // between batches: recorders and API requests get the database
        return count > 0;
    }
}
