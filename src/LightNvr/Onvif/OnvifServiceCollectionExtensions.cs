using LightNvr.Config;

namespace LightNvr.Onvif;

public static class OnvifServiceCollectionExtensions
{
    /// <summary>
    /// The SOAP client (one HttpClient: pooled connections, no cookies, no redirects to other hosts), discovery and
    /// its hosted service (idle unless <c>[onvif] discovery_enabled</c>), and the camera operations of the API.
    /// </summary>
    public static IServiceCollection AddLightNvrOnvif(this IServiceCollection services, LightNvrConfig config)
    {
        services.AddSingleton(config.Onvif);
        services.AddSingleton(sp => new OnvifSoapClient(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<OnvifDiscovery>();
        services.AddSingleton<OnvifCameras>();
        services.AddSingleton<OnvifStreamCameras>();
        services.AddSingleton<OnvifPtz>();
        services.AddSingleton<OnvifImaging>();
        services.AddSingleton<OnvifPushInbox>();
        services.AddSingleton<OnvifDiscoveryService>();
        services.AddHostedService(sp => sp.GetRequiredService<OnvifDiscoveryService>());
        services.AddSingleton<OnvifEventService>();
        services.AddSingleton<LightNvr.Data.IStreamChangeListener>(sp => sp.GetRequiredService<OnvifEventService>());
        services.AddHostedService(sp => sp.GetRequiredService<OnvifEventService>());
        return services;
    }
}
