namespace LightNvr.Onvif;

/// <summary>
/// One ONVIF event notification: topic (as the camera wrote it, prefix included), when, the property operation
/// (Initialized, Changed, Deleted) and its Source and Data items (e.g. Data <c>IsMotion=true</c>).
/// </summary>
public sealed record OnvifNotification(
    string Topic,
    DateTimeOffset? UtcTime,
    string? PropertyOperation,
    IReadOnlyDictionary<string, string> Source,
    IReadOnlyDictionary<string, string> Data);
