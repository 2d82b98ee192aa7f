using LightNvr.Cameras;
using LightNvr.Config;

namespace LightNvr.Restream;

public static class RestreamServiceCollectionExtensions
{
    /// <summary>
    /// Registers the RTSP restream server and publishing: wraps the registered camera source factory so publish-mode
    /// streams are fed by publishers (call after AddLightNvrCameras), and starts the server as a hosted service.
    /// </summary>
    public static IServiceCollection AddLightNvrRestream(this IServiceCollection services)
    {
        var inner = services.LastOrDefault(d => d.ServiceType == typeof(ICameraSourceFactory))
            ?? throw new InvalidOperationException("AddLightNvrRestream needs AddLightNvrCameras first");
        services.Remove(inner);
        services.AddLightNvrConfigSnapshots();
        services.AddSingleton<PublishRegistry>();
        services.AddSingleton<DemoPublisherCredential>();
        services.AddSingleton<FfmpegSourceCredential>();
        services.AddSingleton<ICameraSourceFactory>(sp => new PublishSourceFactory(Resolve(sp, inner),
            sp.GetRequiredService<PublishRegistry>(), sp.GetRequiredService<ConfigSection<Go2rtcOptions>>(),
            sp.GetRequiredService<ConfigSection<WebOptions>>(), sp.GetRequiredService<FfmpegSourceCredential>()));
        services.AddSingleton<RestreamHandler>();
        services.AddSingleton<RestreamService>();
        services.AddHostedService(sp => sp.GetRequiredService<RestreamService>());
        return services;
    }

    private static ICameraSourceFactory Resolve(IServiceProvider sp, ServiceDescriptor descriptor) =>
        (ICameraSourceFactory)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!));
}
