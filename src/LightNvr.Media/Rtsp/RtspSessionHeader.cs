using System.Globalization;

namespace LightNvr.Media.Rtsp;

/// <summary>
/// The Session header, RFC 2326 §12.37: <c>session-id [ ";" "timeout" "=" delta-seconds ]</c>. The timeout defaults
/// to 60 seconds.
/// </summary>
public readonly record struct RtspSessionHeader(string Id, int TimeoutSeconds)
{
    /// <summary>Default session timeout, RFC 2326 §12.37 ("the default is 60 seconds").</summary>
    public const int DefaultTimeoutSeconds = 60;

    /// <summary>
    /// Longest session timeout we honour for keep-alive timing. A camera announcing hours would otherwise get no
    /// keep-alive for hours; one every 30 s costs nothing and survives a camera that lies about its timeout.
    /// </summary>
    public const int MaxTimeoutSeconds = 60;

    /// <summary>Shortest: below 2 s, keep-alives at timeout/2 would flood the camera (and no real camera asks it).</summary>
    public const int MinTimeoutSeconds = 2;

    public static bool TryParse(string? value, out RtspSessionHeader header)
    {
        header = default;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var parts = value.Split(';', StringSplitOptions.TrimEntries);
        if (parts[0].Length == 0)
        {
            return false;
        }

        var timeout = DefaultTimeoutSeconds;
        foreach (var p in parts.AsSpan(1))
        {
            if (p.StartsWith("timeout=", StringComparison.OrdinalIgnoreCase) &&
                int.TryParse(p.AsSpan(8).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t > 0)
            {
                timeout = t;
            }
        }

        header = new RtspSessionHeader(parts[0], timeout);
        return true;
    }

    /// <summary>The interval between keep-alives: half the (clamped) session timeout.</summary>
    public TimeSpan KeepAliveInterval =>
        TimeSpan.FromSeconds(Math.Clamp(TimeoutSeconds, MinTimeoutSeconds, MaxTimeoutSeconds) / 2.0);
}
