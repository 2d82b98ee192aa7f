namespace LightNvr.Metrics;

/// <summary>Registers <c>/api/metrics</c>' scraper and this folder's sources (other subsystems add theirs beside their code).</summary>
public static class MetricsServiceCollectionExtensions
{
    public static IServiceCollection AddLightNvrMetrics(this IServiceCollection services)
    {
        services.AddSingleton<MetricsScraper>();
        services.AddSingleton<IMetricsSource, StreamMetricsSource>();
        services.AddSingleton<IMetricsSource, ConsumerMetricsSource>();
        services.AddSingleton<IMetricsSource, StorageMetricsSource>();
        services.AddSingleton<IMetricsSource, ProcessMetricsSource>();
        return services;
    }
}
