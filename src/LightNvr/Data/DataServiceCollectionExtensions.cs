using LightNvr.Config;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LightNvr.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// Registers the database ([database] path), its stores, the start-up migration (a hosted service: call this before
    /// anything that needs the schema, e.g. AddLightNvrAuth), a TimeProvider if none is registered, and the default
    /// <see cref="IStreamStatusProvider"/> (replace it by registering another before or after).
    /// </summary>
    public static IServiceCollection AddLightNvrData(this IServiceCollection services, LightNvrConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(config);
        services.AddLightNvrConfigSnapshots();
        services.AddSingleton(_ => Database.FromOptions(config.Database)); // the container disposes it (PostgreSQL pool)
        services.AddSingleton<UserStore>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<TrustedDeviceStore>();
        services.AddSingleton<StreamStore>();
        services.AddSingleton<SettingsStore>();
        services.AddSingleton<RecordingStore>();
        services.AddSingleton<RecordingTagStore>();
        services.AddSingleton<RetentionStore>();
        services.AddSingleton<StorageStatsStore>();
        // Events and detections name the node writing them when nodes share PostgreSQL ('' on one box, as recordings).
        services.AddSingleton(sp => new DetectionStore(sp.GetRequiredService<Database>(), WriterNodeId(sp)));
        services.AddSingleton(sp => new EventStore(sp.GetRequiredService<Database>(), WriterNodeId(sp)));
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<LeaseStore>();
        services.AddSingleton<StreamChangeBroadcaster>();
        services.AddSingleton<StreamSync>();
        services.AddSingleton<StreamChanges>();
        services.TryAddSingleton<IStreamStatusProvider, UnknownStreamStatusProvider>();
        services.AddHostedService<DatabaseMigrationService>();
        services.AddSingleton<DatabaseBackup>();
        services.AddSingleton<DatabaseRestore>();
        services.AddSingleton<DatabaseBackupService>(); // one instance: the API lists its backups
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseBackupService>());
        return services;
    }

    private static string WriterNodeId(IServiceProvider services) =>
        services.GetRequiredService<Database>().Engine == DatabaseEngine.Postgresql
            ? NodeRecord.LocalId(services.GetRequiredService<LightNvrConfig>().Cluster.NodeId)
            : "";
}
