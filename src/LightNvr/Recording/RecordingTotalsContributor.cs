using LightNvr.Data;
using LightNvr.Hosting;

namespace LightNvr.Recording;

/// <summary>
/// The <c>recordings</c> block of <c>/api/system</c> (count and bytes). Health requests must not touch the database,
/// so the answer is a cached figure refreshed in the background when it is older than <see cref="MaxAge"/>: the count
/// from the trigger-kept <c>recording_list_counts</c>, the bytes from one SUM over the rows.
/// </summary>
public sealed class RecordingTotalsContributor(Database database, TimeProvider time, ILogger<RecordingTotalsContributor> logger)
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
            await using var connection = await database.OpenAsync().ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT (SELECT COALESCE(SUM(listed), 0) FROM recording_list_counts), " +
                "(SELECT COALESCE(SUM(size_bytes), 0) FROM recordings WHERE is_complete = 1 AND deleting = 0)";
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            if (await reader.ReadAsync().ConfigureAwait(false))
            {
                lock (_lock)
                {
                    _totals = (reader.GetInt64(0), reader.GetInt64(1));
                }
            }
        }
        catch (Exception e)
        {
            logger.LogWarning("Recording totals for /api/system not refreshed: {Error}", e.Message);
        }
    }
}
