using LightNvr.Health;
using LightNvr.Hosting;

namespace LightNvr.Events;

public static class EventsServiceCollectionExtensions
{
    /// <summary>
    /// The event spine: <see cref="EventService"/> (also as <see cref="IObservationSink"/> for every detection source),
    /// the feed, event snapshots and event recording. Call after the cameras and live view (snapshots use them).
    /// </summary>
    public static IServiceCollection AddLightNvrEvents(this IServiceCollection services)
    {
        services.AddSingleton<EventService>();
        services.AddSingleton<IObservationSink>(sp => sp.GetRequiredService<EventService>());
        services.AddSingleton<EventFeed>();
        services.AddSingleton<EventSnapshots>();
        services.AddSingleton<EventRecordingService>();
        services.AddSingleton<IHealthContributor, EventHealthContributor>();
        services.AddHostedService(sp =>
        {
            // The consumers subscribe in their constructors: make them before the loop starts. Consumers of other
            // subsystems (webhooks, MQTT) register as IEventConsumer and are made here too, without Events naming them.
            sp.GetRequiredService<EventFeed>();
            sp.GetRequiredService<EventSnapshots>();
            _ = sp.GetServices<IEventConsumer>().ToList();
            return sp.GetRequiredService<EventService>();
        });
        services.AddHostedService(sp => sp.GetRequiredService<EventRecordingService>());
        return services;
    }
}
