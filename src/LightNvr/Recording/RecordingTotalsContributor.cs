using LightNvr.Data;
using LightNvr.Health;

namespace LightNvr.Recording;

/// <summary>
/// The <c>recordings</c> block of <c>/api/system</c> (count and bytes). Health requests must not touch the database,
/// so the answer is a cached figure refreshed in the background when it is older than <see cref="MaxAge"/>: the count
/// from the trigger-kept <c>recording_list_counts</c>, the bytes from one SUM over the rows.
/// </summary>
public sealed class RecordingTotalsContributor(RecordingStore recordings, TimeProvider time, ILogger<RecordingTotalsContributor> logger)
    : IHealthContributor
{
    /// <summary>How stale the figures may be; the SUM reads every row, so not on every poll of the System page.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private (long Count, long Bytes) _totals;
    private DateTimeOffset _refreshedAt = DateTimeOffset.MinValue;
    private Task _refreshing = Task.CompletedTask;

    public void Contribute(HealthReport report)
    {
        lock (_lock)
        {
            (report.RecordingCount, report.RecordingBytes) = _totals;
            if (_refreshing.IsCompleted && time.GetUtcNow() - _refreshedAt > MaxAge)
            {
                _refreshedAt = time.GetUtcNow();
                _refreshing = Task.Run(RefreshAsync);
            }
        }
    }

    /// <summary>Reads the figures now (also what the background refresh runs).</summary>
    public async Task RefreshAsync()
    {
        try
        {
            var totals = await recordings.TotalsAsync().ConfigureAwait(false);
            lock (_lock)
            {
                _totals = totals;
            }
        }
        catch (Exception e)
        {
            logger.LogWarning("Recording totals for /api/system not refreshed: {Error}", e.Message);
        }
    }
}
