namespace LightNvr.Config;

/// <summary>
/// What a topic prefix (<c>[mqtt] topic_prefix</c>, <c>ha_discovery_prefix</c>) may be: MQTT 3.1.1 §4.7 forbids the
/// wildcards <c>+</c> and <c>#</c> and NUL in a published topic; a leading or trailing <c>/</c> or an empty level would
/// make topics no subscriber expects (<c>lightnvr//cam</c>).
/// </summary>
public static class MqttTopicRule
{
    /// <summary>Longest prefix accepted: topics are at most 65,535 bytes (§1.5.3); 128 leaves room for the rest.</summary>
    public const int MaxPrefixLength = 128;

    /// <summary>Why <paramref name="prefix"/> cannot be a topic prefix, or null when it can.</summary>
    public static string? Problem(string prefix) =>
        prefix.Length == 0 ? "must not be empty"
        : prefix.Length > MaxPrefixLength ? $"must be at most {MaxPrefixLength} characters"
        : prefix.Any(c => c is '+' or '#' || char.IsControl(c)) ? "must not contain '+', '#' or control characters"
        : prefix.StartsWith('/') || prefix.EndsWith('/') || prefix.Contains("//", StringComparison.Ordinal)
            ? "must not start or end with '/' or hold an empty level"
        : null;
}
