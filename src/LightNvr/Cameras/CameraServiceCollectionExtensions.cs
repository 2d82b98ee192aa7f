using LightNvr.Data;
using LightNvr.Health;

namespace LightNvr.Cameras;

public static class CameraServiceCollectionExtensions
{
    /// <summary>
    /// Registers the streaming core: <see cref="CameraService"/> as a hosted service, as the stream change listener and
    /// as the stream status provider (replacing the data layer's default), with the given camera source factory.
    /// Call after AddLightNvrData so the schema is migrated before cameras are loaded.
    /// </summary>
    public static IServiceCollection AddLightNvrCameras<TSourceFactory>(this IServiceCollection services)
        where TSourceFactory : class, ICameraSourceFactory
    {
        services.AddSingleton<ICameraSourceFactory, TSourceFactory>();
        services.AddSingleton<CameraService>();
        services.AddSingleton<StreamProbe>();
        services.AddSingleton<IHealthContributor, CameraHealthContributor>();
        services.AddSingleton<CameraShutdownRegistration>();
        services.AddHostedService(sp =>
        {
            sp.GetRequiredService<CameraShutdownRegistration>(); // the streaming core stops last
            return sp.GetRequiredService<CameraService>();
        });
        services.AddSingleton<IStreamChangeListener>(sp => sp.GetRequiredService<CameraService>());
        services.AddSingleton<IStreamStatusProvider>(sp => sp.GetRequiredService<CameraService>());
        return services;
    }
}
