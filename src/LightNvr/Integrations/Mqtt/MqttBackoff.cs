namespace LightNvr.Integrations.Mqtt;

/// <summary>
/// The wait before the next connection attempt: 1 s after the first failure, doubling up to <see cref="Max"/>, with up
/// to 20 % added at random so many NVRs do not reconnect to a restarted broker in the same second.
/// </summary>
public static class MqttBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait: libmosquitto's <c>mosquitto_reconnect_delay_set</c> examples and paho use 30–120 s;
    /// 30 s keeps the gap after a broker restart short while costing one TCP connect per 30 s when it is gone.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    /// <param name="failures">Failed attempts in a row so far (1 after the first failure).</param>
    /// <param name="jitter">0–1 (random in production, fixed in tests).</param>
    public static TimeSpan Delay(int failures, double jitter)
    {
        var doublings = Math.Clamp(failures - 1, 0, 16);
        var seconds = Math.Min(First.TotalSeconds * (1L << doublings), Max.TotalSeconds);
        return TimeSpan.FromSeconds(seconds * (1 + (0.2 * Math.Clamp(jitter, 0, 1))));
    }
}
