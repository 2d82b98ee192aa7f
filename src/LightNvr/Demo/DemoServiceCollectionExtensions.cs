using LightNvr.Config;

namespace LightNvr.Demo;

public static class DemoServiceCollectionExtensions
{
    /// <summary>
    /// Registers the demo camera service. It always runs once at start: with <c>[demo] camera = true</c> it creates
    /// and feeds the <c>demo</c> stream, otherwise it removes a demo stream left from an earlier run.
    /// Call before AddLightNvrCameras: its start-up creates or removes the row before the camera service loads streams.
    /// </summary>
    public static IServiceCollection AddLightNvrDemo(this IServiceCollection services, LightNvrConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        services.AddHostedService<DemoCameraService>();
        return services;
    }
}
