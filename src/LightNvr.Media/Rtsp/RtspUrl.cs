using System.Net;

namespace LightNvr.Media.Rtsp;

/// <summary>
/// RTSP URL handling that keeps credentials out of requests and logs: userinfo is taken out of the URL once,
/// percent-decoded (RFC 3986 §3.2.1), and every URL that may be written anywhere goes through <see cref="Redact(Uri)"/>.
/// </summary>
public static class RtspUrl
{
    /// <summary>Default RTSP port, RFC 2326 §3.2.</summary>
    public const int DefaultPort = 554;

    /// <summary>The credentials in the URL's userinfo (percent-decoded), or null when it has none.</summary>
    public static NetworkCredential? GetCredentials(Uri url)
    {
        if (string.IsNullOrEmpty(url.UserInfo))
        {
            return null;
        }

        var colon = url.UserInfo.IndexOf(':', StringComparison.Ordinal);
        var user = colon < 0 ? url.UserInfo : url.UserInfo[..colon];
        var password = colon < 0 ? "" : url.UserInfo[(colon + 1)..];
        return new NetworkCredential(Uri.UnescapeDataString(user), Uri.UnescapeDataString(password));
    }

    /// <summary>The URL without userinfo: what is sent as Request-URI and what may be logged.</summary>
    public static Uri WithoutUserInfo(Uri url)
    {
        if (string.IsNullOrEmpty(url.UserInfo))
        {
            return url;
        }

        var builder = new UriBuilder(url) { UserName = "", Password = "" };
        return builder.Uri;
    }

    /// <summary>The URL as text without userinfo, escaped as sent on the wire (for requests, logs and messages).</summary>
    public static string Redact(Uri url) => WithoutUserInfo(url).AbsoluteUri;

    /// <summary>
    /// Strips <c>user:pass@</c> from a URL given as text (e.g. a Request-URI or a Location header) without needing it
    /// to parse; anything unparseable is returned with everything between <c>//</c> and <c>@</c> removed.
    /// </summary>
    public static string Redact(string url)
    {
        var scheme = url.IndexOf("//", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return url;
        }

        var authorityEnd = url.IndexOfAny(['/', '?', '#'], scheme + 2);
        var at = url.LastIndexOf('@', authorityEnd < 0 ? url.Length - 1 : authorityEnd - 1);
        return at > scheme ? string.Concat(url.AsSpan(0, scheme + 2), url.AsSpan(at + 1)) : url;
    }

    /// <summary>Default port of RTSP over TLS (<c>rtsps</c>), RFC 7826 §19.2 and IANA's registry.</summary>
    public const int DefaultTlsPort = 322;

    /// <summary>Port of the URL, 554 (322 for rtsps) when none is given.</summary>
    public static int GetPort(Uri url) => url.IsDefaultPort || url.Port <= 0
        ? url.Scheme.Equals("rtsps", StringComparison.OrdinalIgnoreCase) ? DefaultTlsPort : DefaultPort
        : url.Port;

    /// <summary>
    /// The URL of a media (or the session) from its <c>a=control</c> attribute (RFC 2326 §C.1.1, RFC 7826 §18.2):
    /// absent or <c>*</c> means the base itself; an absolute <c>rtsp://</c> URL is used as is; anything else is
    /// appended to the base with one <c>/</c> between them, which is what cameras expect even when the base lacks a
    /// trailing slash (ffmpeg and gortsplib do the same rather than RFC 3986 resolution, which would drop the last
    /// path segment). A control starting with <c>?</c> is appended without a slash.
    /// </summary>
    public static string ResolveControl(string baseUrl, string? control)
    {
        if (string.IsNullOrEmpty(control) || control == "*")
        {
            return baseUrl;
        }

        if (control.StartsWith("rtsp://", StringComparison.OrdinalIgnoreCase) ||
            control.StartsWith("rtsps://", StringComparison.OrdinalIgnoreCase) ||
            control.StartsWith("rtspu://", StringComparison.OrdinalIgnoreCase))
        {
            return control;
        }

        if (control.StartsWith('?'))
        {
            return baseUrl + control;
        }

        var separator = baseUrl.EndsWith('/') ? "" : "/";
        return baseUrl + separator + control.TrimStart('/');
    }
}
