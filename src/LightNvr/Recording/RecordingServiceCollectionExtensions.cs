using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Health;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LightNvr.Recording;

public static class RecordingServiceCollectionExtensions
{
    /// <summary>
    /// Registers continuous recording. Start-up recovery must finish before the first camera (and recorder) starts:
    /// <c>LightNvr.StartupSequence</c> puts this hosted service before the camera service whatever the call order.
    /// </summary>
    public static IServiceCollection AddLightNvrRecording(this IServiceCollection services)
    {
        services.TryAddSingleton<RecordingFiles>();
        services.AddSingleton(sp => new RecordingRecovery(sp.GetRequiredService<RecordingStore>(),
            sp.GetRequiredService<RecordingFiles>(),
            sp.GetRequiredService<LightNvrConfig>().Storage, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RecordingRecovery>>(),
            sp.GetRequiredService<RecordingLeases>() is { Enabled: true } leases ? leases.NodeId : null));
        services.TryAddSingleton<OpenSegments>();
        services.AddSingleton(sp => new RecordingLeases(sp.GetRequiredService<LightNvrConfig>(), sp.GetRequiredService<Database>(),
            sp.GetRequiredService<LeaseStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RecordingLeases>>(),
            () => sp.GetService<StreamSync>()));
        services.AddHostedService(sp => sp.GetRequiredService<RecordingLeases>());
        services.AddSingleton<Cameras.ICameraLeases>(sp => sp.GetRequiredService<RecordingLeases>());
        services.AddSingleton(sp => PendingRows.Open(
            PendingRows.PathFor(sp.GetRequiredService<LightNvrConfig>().Storage.Path, sp.GetRequiredService<RecordingLeases>().NodeId),
            sp.GetRequiredService<ILogger<PendingRows>>()));
        services.AddSingleton<PendingRowReplay>();
        services.AddSingleton<RecordingService>();
        services.AddSingleton<IHealthContributor, RecordingTotalsContributor>();
        services.AddHostedService(sp => sp.GetRequiredService<RecordingService>());
        return services;
    }
}
