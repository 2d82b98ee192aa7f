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
        // Recorder nodes (PostgreSQL): each node sweeps only the rows whose files it reaches (docs/scale.md).
        services.AddSingleton(sp => sp.GetService<RecordingLeases>() is { Enabled: true } leases
            ? new RetentionSweep(sp.GetRequiredService<Data.RetentionStore>(), sp.GetRequiredService<RecordingFiles>(),
                sp.GetRequiredService<Data.StreamStore>(), sp.GetRequiredService<StorageRoot>(), sp.GetRequiredService<IDiskSpaceProbe>(),
                sp.GetRequiredService<ConfigSection<StorageOptions>>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<DetectionPurge>(),
                new SweepLocation(sp.GetRequiredService<Data.LeaseStore>(), leases.NodeId, leases.Node.StorageId))
            : ActivatorUtilities.CreateInstance<RetentionSweep>(sp));
        services.AddSingleton<ThumbnailService>();
        services.AddSingleton<RecordingRangeExport>();
        services.AddSingleton<ExportCache>();
        services.AddHostedService(sp => sp.GetRequiredService<ExportCache>());
        services.AddSingleton<BatchDeleteJobs>();
        services.AddSingleton<BatchDownloadTokens>();
        services.TryAddSingleton<OpenSegments>();
        services.AddSingleton<RecordingSync>();
        services.AddSingleton<StorageService>();
        services.AddHostedService(sp => sp.GetRequiredService<StorageService>());
        return services;
    }
}
