using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Metrics;

namespace LightNvr.Integrations.Mqtt;

public static class MqttServiceCollectionExtensions
{
    /// <summary>
    /// The MQTT bridge (docs/integrations.md). Its hosted service is always registered (its place in the start-up
    /// sequence); the bridge, its client and its subscriptions exist only with <c>[mqtt] enabled</c>.
    /// </summary>
    public static IServiceCollection AddLightNvrMqtt(this IServiceCollection services, LightNvrConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var missingHost = config.Mqtt.Enabled && config.Mqtt.BrokerHost.Trim().Length == 0;
        var enabled = config.Mqtt.Enabled && !missingHost;
        if (enabled)
        {
            services.AddSingleton(sp => new MqttCommands(sp.GetRequiredService<StreamStore>(), sp.GetRequiredService<StreamChanges>,
                sp.GetRequiredService<UserStore>(), sp.GetRequiredService<ConfigSection<MqttOptions>>()));
            services.AddSingleton<MqttBridge>();
            services.AddSingleton<IStreamChangeListener>(sp => sp.GetRequiredService<MqttBridge>());
            services.AddSingleton<IMetricsSource, MqttMetricsSource>();
        }
        services.AddHostedService(sp => new MqttService(enabled ? sp.GetRequiredService<MqttBridge>() : null, missingHost,
            sp.GetRequiredService<ILogger<MqttService>>()));
        return services;
    }
}
