using System.Text.RegularExpressions;

namespace LightNvr.Media.Streaming;

/// <summary>Removes the userinfo of any URL in a text (rtsp://user:pass@host → rtsp://host), for logs and status.</summary>
public static partial class CredentialRedaction
{
    public static string Redact(string text) => UserInfo().Replace(text, "://");

    [GeneratedRegex(@"://[^/\s@]*@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();
}
