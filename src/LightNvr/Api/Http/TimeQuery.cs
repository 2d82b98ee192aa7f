using System.Globalization;

namespace LightNvr.Api.Http;

/// <summary>
/// Time query parameters (lightnvr-api.md §0.3, our rule): unix seconds, or ISO-8601 — <c>YYYY-MM-DDTHH:MM:SS</c> with
/// optional fraction and <c>Z</c> or an offset (no zone = UTC, as upstream), a space instead of <c>T</c>, or a bare date.
/// </summary>
public static class TimeQuery
{
    /// <summary>Largest unix time accepted (year 9999), so arithmetic on it never overflows.</summary>
    public const long MaxUnixSeconds = 253402300799;

    public static DateTimeOffset? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        text = text.Trim().Replace("%3A", ":", StringComparison.OrdinalIgnoreCase);
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var unix))
        {
            return unix <= MaxUnixSeconds ? DateTimeOffset.FromUnixTimeSeconds(unix) : null;
        }
        var iso = text.Replace(' ', 'T');
        return DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            && (iso.Length >= 10 && iso[4] == '-' && iso[7] == '-')
            ? t
            : null;
    }

    /// <summary>True when the text is present but not a time (endpoints that answer 400 for it).</summary>
    public static bool IsInvalid(string? text) => !string.IsNullOrWhiteSpace(text) && Parse(text) is null;
}
