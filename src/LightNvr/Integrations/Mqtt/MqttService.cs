namespace LightNvr.Integrations.Mqtt;

/// <summary>
/// The MQTT bridge's place in the start-up sequence. With <c>[mqtt] enabled = false</c> (or no <c>broker_host</c>,
/// which upstream also logs and skips) it holds nothing: no client, no subscription to events, no task. Otherwise
/// <see cref="StartAsync"/> starts the connection in the background and returns at once (a broker that is away delays
/// nothing); <see cref="StopAsync"/> runs after the event spine closed every open event at shutdown, so their
/// <c>end</c> messages are flushed before <c>offline</c>.
/// </summary>
public sealed partial class MqttService(MqttBridge? bridge, bool missingHost, ILogger<MqttService> logger) : IHostedService
{
    public MqttBridge? Bridge => bridge;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (missingHost)
        {
            LogNoHost();
        }
        bridge?.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => bridge?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT: [mqtt] enabled but broker_host is empty; MQTT stays off")]
    private partial void LogNoHost();
}
