using LightNvr.Health;
using LightNvr.Data;
using LightNvr.Detection.Objects;
using LightNvr.Events;
using LightNvr.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LightNvr.Detection;

public static class DetectionServiceCollectionExtensions
{
    /// <summary>
    /// Registers detection: the zone and motion-settings stores, <see cref="DetectionService"/> (hosted, a stream change
    /// listener, shutdown priority <see cref="ShutdownPriority.Detection"/>), its health contributor, and a logging
    /// <see cref="IObservationSink"/> unless the event spine registered one. Call after AddLightNvrCameras.
    /// </summary>
    public static IServiceCollection AddLightNvrDetection(this IServiceCollection services)
    {
        services.TryAddSingleton<FrameSourceOptions>();
        services.AddSingleton<ZoneStore>();
        services.AddSingleton<MotionSettingsStore>();
        services.TryAddSingleton<IObservationSink, LoggingObservationSink>();
        services.AddSingleton<OnnxModelCache>();
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<ObjectDetectionQueues>();
        services.AddSingleton<IObjectDetectorProvider, OnnxDetectorProvider>();
        services.AddSingleton<IObjectDetectorProvider, Objects.Api.ApiDetectorProvider>();
        services.AddSingleton<DetectionService>();
        services.AddSingleton<IHealthContributor, DetectionHealthContributor>();
        services.AddSingleton<IStreamChangeListener>(sp => sp.GetRequiredService<DetectionService>());
        services.AddHostedService(sp => sp.GetRequiredService<DetectionService>());
        return services;
    }
}
