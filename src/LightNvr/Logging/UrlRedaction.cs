using System.Text.RegularExpressions;

namespace LightNvr.Logging;

/// <summary>
/// Keeps credentials out of logs and API answers. <see cref="Redact"/> masks the userinfo of one URL
/// (<c>rtsp://admin:secret@cam/x</c> → <c>rtsp://***@cam/x</c>); <see cref="RedactText"/> does it for every URL
/// inside free text. The log sink applies <see cref="RedactText"/> to every record as a safety net; code that logs a
/// camera URL should still call <see cref="Redact"/> itself.
/// </summary>
public static partial class UrlRedaction
{
    public const string Mask = "***";

    public static string Redact(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return url ?? "";
        }

        return RedactText(url);
    }

    public static string RedactText(string text) => LightNvr.Media.Streaming.CredentialRedaction.MaskParameters(
        text.Contains('@', StringComparison.Ordinal) ? UserInfo().Replace(text, m => m.Groups[1].Value + Mask + "@") : text);

    /// <summary>scheme://userinfo@ where userinfo runs to the last '@' before the path (passwords may hold '@').</summary>
    [GeneratedRegex(@"([A-Za-z][A-Za-z0-9+.\-]*://)[^/\s]+@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();
}
