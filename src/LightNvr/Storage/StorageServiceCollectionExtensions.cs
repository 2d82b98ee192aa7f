using LightNvr.Config;
using LightNvr.Recording;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LightNvr.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// The storage manager (retention, quotas, free space, crash-safe deletion), thumbnails, batch jobs and sync.
    /// Register an <see cref="IDiskSpaceProbe"/> before this to replace statvfs (tests inject pressure so).
    /// </summary>
    public static IServiceCollection AddLightNvrStorage(this IServiceCollection services, LightNvrConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        services.TryAddSingleton(config.Storage);
        services.AddSingleton(new StorageRoot(config.Storage));
        services.TryAddSingleton<IDiskSpaceProbe, DriveDiskSpaceProbe>();
        services.TryAddSingleton<IRecordingFileLocator, RecordingFileLocator>();
        services.TryAddSingleton<RecordingFiles>();
        services.AddSingleton<DetectionPurge>();
        services.AddSingleton<RetentionSweep>();
        services.AddSingleton<ThumbnailService>();
        services.AddSingleton<RecordingRangeExport>();
        services.AddSingleton<BatchDeleteJobs>();
        services.AddSingleton<BatchDownloadTokens>();
        services.TryAddSingleton<OpenSegments>();
        services.AddSingleton<RecordingSync>();
        services.AddSingleton<StorageService>();
        services.AddHostedService(sp => sp.GetRequiredService<StorageService>());
        return services;
    }
}
