using LightNvr.Config;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace LightNvr.Integrations.Mqtt;

/// <summary>
/// MQTTnet's connect options from <c>[mqtt]</c>: broker, client id, credentials, keep-alive (0 = none), protocol 3.1.1
/// or 5, TLS (system trust store, or only <c>ca_file</c>'s CAs), a clean session, and the last will:
/// <c>&lt;prefix&gt;/availability</c> = <c>offline</c>, retained, QoS 1.
/// </summary>
public static class MqttConnectOptions
{
    /// <summary>How long a connect (TCP, TLS, CONNACK) may take before it counts as failed.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    public static MqttClientOptions Build(MqttOptions o, MqttTopics topics, MqttCaTrust? trust)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(o.BrokerHost.Trim(), o.BrokerPort)
            .WithClientId(o.ClientId)
            .WithProtocolVersion(o.ProtocolVersion == MqttOptions.Protocol5 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311)
            .WithCleanSession(true)
            .WithTimeout(ConnectTimeout)
            .WithWillTopic(topics.Availability)
            .WithWillPayload("offline")
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        builder = o.Keepalive == 0 ? builder.WithNoKeepAlive() : builder.WithKeepAlivePeriod(TimeSpan.FromSeconds(o.Keepalive));
        if (o.Username.Length > 0)
        {
            builder = builder.WithCredentials(o.Username, o.Password);
        }
        if (o.TlsEnabled)
        {
            builder = builder.WithTlsOptions(tls =>
            {
                tls.UseTls();
                if (trust is not null)
                {
                    tls.WithCertificateValidationHandler(e => trust.Validate(e.Certificate, e.SslPolicyErrors));
                }
            });
        }
        return builder.Build();
    }

    public static MqttQualityOfServiceLevel Qos(int qos) => qos switch
    {
        0 => MqttQualityOfServiceLevel.AtMostOnce,
        2 => MqttQualityOfServiceLevel.ExactlyOnce,
        _ => MqttQualityOfServiceLevel.AtLeastOnce,
    };
}
