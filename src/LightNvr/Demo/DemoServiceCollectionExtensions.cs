using LightNvr.Config;

namespace LightNvr.Demo;

public static class DemoServiceCollectionExtensions
{
    /// <summary>
    /// Registers the demo camera service. It always runs once at start: with <c>[demo] camera = true</c> it creates
    /// and feeds the <c>demo</c> stream, otherwise it removes a demo stream left from an earlier run.
    /// Call after AddLightNvrRestream (it publishes into the restream server).
    /// </summary>
    public static IServiceCollection AddLightNvrDemo(this IServiceCollection services, LightNvrConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        services.AddHostedService<DemoCameraService>();
        return services;
    }
}
