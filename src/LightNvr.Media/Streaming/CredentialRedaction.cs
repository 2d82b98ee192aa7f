using System.Text.RegularExpressions;

namespace LightNvr.Media.Streaming;

/// <summary>
/// Removes credentials from camera URLs and from text that may contain them (log lines, error messages): the
/// <c>user:password@</c> part, and credential parameters in the path or query that some cameras take instead
/// (Dahua-style <c>/user=admin_password=secret_channel=1</c>, <c>?password=secret</c>, <c>&amp;token=…</c>).
/// </summary>
public static partial class CredentialRedaction
{
    public const string Mask = "***";

    /// <summary>The text with every URL's userinfo removed and every credential parameter's value masked.</summary>
    public static string Redact(string text) => MaskParameters(UserInfo().Replace(text, "://"));

    /// <summary>The text with every credential parameter's value (<c>password=…</c>, <c>user=…</c>, …) replaced by <see cref="Mask"/>.</summary>
    public static string MaskParameters(string text) =>
        text.Contains('=', StringComparison.Ordinal) ? Parameter().Replace(text, m => m.Groups[1].Value + "=" + Mask) : text;

    [GeneratedRegex(@"://[^/\s@]*@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();

    /// <summary>
    /// A credential key at the start of a path segment, query pair or Dahua-style <c>_</c> field, and its value up to
    /// the next separator or the next <c>_key=</c> field (so a password holding <c>_</c> is still masked whole).
    /// </summary>
    [GeneratedRegex(@"(?<=^|[/?&;_\s])(user|username|usr|login|password|passwd|pass|pwd|psw|passcode|token|secret|apikey|api_key|auth)=(.*?)(?=_[A-Za-z]+=|[&\s/?#;]|$)",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Parameter();
}
