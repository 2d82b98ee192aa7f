using LightNvr.Events;
using Microsoft.AspNetCore.Hosting.Server;

namespace LightNvr.Integrations.Webhooks;

public static class WebhooksServiceCollectionExtensions
{
    /// <summary>
    /// Webhooks (docs/webhooks.md): the event consumer (registered as an <see cref="IEventConsumer"/>, which the event
    /// spine makes before its loop starts), the sender (a hosted service), the HTTP client with its target rule, the
    /// registry the API uses, and the metrics source. Call after <c>AddLightNvrEvents</c>.
    /// </summary>
    public static IServiceCollection AddLightNvrWebhooks(this IServiceCollection services)
    {
        services.AddSingleton(sp => new WebhookTargets(sp.GetRequiredService<Config.ConfigSection<Config.WebOptions>>(), sp.GetService<IServer>()));
        services.AddSingleton(sp => new WebhookClient(sp.GetRequiredService<WebhookTargets>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<WebhookDispatcher>();
        services.AddSingleton<IEventConsumer>(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookRegistry>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookSender>());
        services.AddSingleton<Metrics.IMetricsSource, WebhookMetricsSource>();
        return services;
    }
}
