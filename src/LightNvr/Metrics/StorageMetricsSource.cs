using LightNvr.IO;
using LightNvr.Config;
using LightNvr.Hosting;
using LightNvr.Storage;

namespace LightNvr.Metrics;

/// <summary>
/// Disk and the storage forecast (docs/storage.md): size of the storage file system, free percent, pressure level,
/// and the projections <c>GET /api/storage/health</c> shows. The forecast reads the database, so a scrape never waits
/// for it: it answers the figures of the last refresh and starts a new one in the background when they are older than
/// <see cref="MaxForecastAge"/> (the first scrape has none yet).
/// </summary>
public sealed class StorageMetricsSource(StorageService storage, ConfigSection<StorageOptions> options,
    ILogger<StorageMetricsSource> logger) : IMetricsSource
{
    /// <summary>How stale the forecast may be: it moves over hours (a day's fill rate), and each refresh runs two SUMs.</summary>
    public static readonly TimeSpan MaxForecastAge = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private StorageForecast? _forecast;
    private DateTimeOffset _refreshedAt = DateTimeOffset.MinValue;
    private Task _refreshing = Task.CompletedTask;

    public void Collect(MetricsScrape scrape)
    {
        var w = scrape.Writer;
        if (DiskSpace.Of(options.Current.Path) is { } disk)
        {
            w.Family("lightnvr_storage_total_bytes", MetricType.Gauge, "Size of the storage path's file system.");
            w.Sample(disk.Total);
        }
        var health = storage.Health();
        w.Family("lightnvr_storage_free_ratio", MetricType.Gauge, "Free share of the storage file system (0-1).");
        w.Sample(health.FreeSpacePct / 100);
        w.Family("lightnvr_storage_pressure_level", MetricType.Gauge, "Free-space pressure: 0 normal, 1 warning, 2 critical, 3 emergency.");
        w.Sample((int)health.PressureLevel);
        w.Family("lightnvr_storage_cleanup_deleted_recordings", MetricType.Gauge, "Recordings the last retention or pressure sweep deleted.");
        w.Sample(health.LastCleanupDeleted);

        var forecast = Forecast(scrape.Now);
        if (forecast is null)
        {
            return;
        }
        w.Family("lightnvr_storage_fill_rate_bytes_per_day", MetricType.Gauge, "Bytes recorded per day over the last day.");
        w.Sample(forecast.FillRateBytesPerDay);
        if (forecast.SecondsToTarget >= 0)
        {
            w.Family("lightnvr_storage_seconds_to_target", MetricType.Gauge,
                "Projected seconds until free space falls to min_free_pct at the day's fill rate (0: not filling).");
            w.Sample(forecast.SecondsToTarget);
        }
        if (forecast.SecondsToMaxSize >= 0)
        {
            w.Family("lightnvr_storage_seconds_to_max_size", MetricType.Gauge,
                "Projected seconds until the recordings reach max_size at the day's fill rate.");
            w.Sample(forecast.SecondsToMaxSize);
        }
    }

    private StorageForecast? Forecast(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_refreshing.IsCompleted && now - _refreshedAt > MaxForecastAge)
            {
                _refreshedAt = now;
                _refreshing = Task.Run(RefreshAsync);
            }
            return _forecast;
        }
    }

    private async Task RefreshAsync()
    {
        try
        {
            var forecast = await storage.ForecastAsync(CancellationToken.None).ConfigureAwait(false);
            lock (_lock)
            {
                _forecast = forecast;
            }
        }
        catch (Exception e)
        {
            logger.LogWarning("Storage forecast for /api/metrics not refreshed: {Error}", e.Message);
        }
    }
}
