using LightNvr.Data;

namespace LightNvr.Live;

public static class LiveServiceCollectionExtensions
{
    /// <summary>Registers live viewing (MSE, progressive MP4, HLS, snapshots, ad-hoc sources). Call after AddLightNvrCameras.</summary>
    public static IServiceCollection AddLightNvrLive(this IServiceCollection services)
    {
        services.AddSingleton<LiveConsumers>();
        services.AddSingleton<LiveStreams>();
        services.AddSingleton<LiveViewerService>();
        services.AddSingleton<WebRtc.WebRtcSessions>();
        services.AddSingleton<WebRtc.OpusTranscoders>();
        services.AddSingleton<WebRtc.WebRtcWarmup>();
        services.AddHostedService(sp => sp.GetRequiredService<WebRtc.WebRtcWarmup>());
        services.AddSingleton<SnapshotService>();
        services.AddSingleton<HlsSessions>();
        services.AddSingleton<PrivacyGuard>();
        services.AddSingleton<IStreamChangeListener>(sp => sp.GetRequiredService<PrivacyGuard>());
        services.AddSingleton<Health.IHealthContributor, LiveHealthContributor>();
        return services;
    }
}
