using LightNvr.Cameras;
using LightNvr.Data;
using LightNvr.Recording;

namespace LightNvr.Relay;

public static class RelayServiceCollectionExtensions
{
    /// <summary>
    /// Registers the node-to-node live relay: the cluster credential, and <see cref="RelaySourceFactory"/> around the
    /// registered camera source factory (call after AddLightNvrCameras and AddLightNvrRecording, before
    /// AddLightNvrRestream so publish-mode and ffmpeg streams keep their own sources).
    /// </summary>
    public static IServiceCollection AddLightNvrRelay(this IServiceCollection services)
    {
        var inner = services.LastOrDefault(d => d.ServiceType == typeof(ICameraSourceFactory))
            ?? throw new InvalidOperationException("AddLightNvrRelay needs AddLightNvrCameras first");
        services.Remove(inner);
        services.AddSingleton(sp => new NodeRelayCredential(sp.GetRequiredService<Database>(), sp.GetRequiredService<LeaseStore>()));
        services.AddSingleton(sp => new RelaySourceFactory(Resolve(sp, inner), sp.GetRequiredService<RecordingLeases>(),
            sp.GetRequiredService<NodeRelayCredential>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RelaySourceFactory>>()));
        services.AddSingleton<ICameraSourceFactory>(sp => sp.GetRequiredService<RelaySourceFactory>());
        return services;
    }

    private static ICameraSourceFactory Resolve(IServiceProvider sp, ServiceDescriptor descriptor) =>
        (ICameraSourceFactory)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!));
}
