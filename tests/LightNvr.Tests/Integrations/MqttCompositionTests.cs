using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Hosting;
using LightNvr.Integrations.Mqtt;
using LightNvr.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LightNvr.Tests.Integrations;

/// <summary>
/// The bridge in the whole composition: with <c>[mqtt] enabled</c> every hosted service resolves (no dependency cycle:
/// the bridge listens to stream changes and also makes them) and the bridge is a stream listener; disabled, nothing of
/// MQTT is registered but the hosted service's place in the sequence, and it holds no bridge.
/// </summary>
public sealed class MqttCompositionTests
{
    private static (ServiceProvider Provider, IServiceCollection Services) Build(TempFolder folder, MqttOptions mqtt)
    {
        var config = new LightNvrConfig
        {
            Database = new DatabaseOptions { Path = folder.File("lightnvr.db") },
            Storage = new StorageOptions { Path = folder.Path },
            Mqtt = mqtt,
        };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddLightNvrHostServices(config);
        services.AddLightNvrSubsystems(config);
        return (services.BuildServiceProvider(), services);
    }

    [Fact]
    public async Task Enabled_every_hosted_service_resolves_and_the_bridge_follows_stream_changes()
    {
        using var folder = new TempFolder();
        var (provider, _) = Build(folder, new MqttOptions { Enabled = true, BrokerHost = "127.0.0.1" });
        await using var _ = provider;
        // A cycle between singletons resolves as a hang, not an exception: bound it.
        var hosted = await Task.Run(() => provider.GetServices<IHostedService>().ToList()).WaitAsync(TimeSpan.FromSeconds(20));
        var mqtt = Assert.Single(hosted.OfType<MqttService>());
        Assert.NotNull(mqtt.Bridge);
        Assert.Contains(mqtt.Bridge, provider.GetServices<IStreamChangeListener>());
    }

    [Theory]
    [InlineData(false, "127.0.0.1")]
    [InlineData(true, " ")]
    public async Task Disabled_or_without_a_broker_nothing_is_made(bool enabled, string host)
    {
        using var folder = new TempFolder();
        var (provider, services) = Build(folder, new MqttOptions { Enabled = enabled, BrokerHost = host });
        await using var _ = provider;
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(MqttBridge) || d.ServiceType == typeof(MqttCommands));
        var mqtt = Assert.Single(provider.GetServices<IHostedService>().OfType<MqttService>());
        Assert.Null(mqtt.Bridge);
        Assert.DoesNotContain(provider.GetServices<IStreamChangeListener>(), l => l is MqttBridge);
    }
}
