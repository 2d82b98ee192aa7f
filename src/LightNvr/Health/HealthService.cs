using System.Globalization;
using LightNvr.Config;
using LightNvr.IO;

namespace LightNvr.Health;

/// <summary>Builds <see cref="HealthReport"/>: own figures first, then every <see cref="IHealthContributor"/>.</summary>
public sealed class HealthService(
    ServerInfo server,
    RequestCounters counters,
    ConfigSection<StorageOptions> storage,
    TimeProvider time,
    IEnumerable<IHealthContributor> contributors,
    ILogger<HealthService> logger)
{
    public HealthReport Build()
    {
        var report = new HealthReport
        {
            Uptime = (long)server.Uptime.TotalSeconds,
            TotalRequests = counters.Total,
            FailedRequests = counters.Failed,
            Timestamp = time.GetLocalNow().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        };
        report.Storage.AvailableBytes = DiskSpace.Of(storage.Current.Path)?.Free ?? 0;
        foreach (var contributor in contributors)
        {
            try
            {
                contributor.Contribute(report);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Health contributor {Type} failed", contributor.GetType().Name);
            }
        }

        var s = report.Streams;
        report.Status = s.Total > 0 && s.Up == 0 && s.Down > 0 ? "critical"
            : s.Degraded > 0 || s.Down > 0 ? "degraded"
            : "healthy";
        return report;
    }
}
