namespace LightNvr.Hosting;

/// <summary>
/// Headers on every response: no framing (clickjacking), no MIME sniffing, referrers only within the site, and a
/// Content-Security-Policy the built web UI passes (docs/auth.md "Browser protections").
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// What the SPA (web/dist) loads: its own scripts and styles (no inline script; style attributes are set by Preact
    /// and the placeholder page), data: images (the favicon), blob: video (MSE and hls.js attach a MediaSource by blob
    /// URL) and blob: workers (hls.js), and fetch/WebSocket to this server (ws:/wss: for /go2rtc/api/ws, which 'self'
    /// does not cover in every browser). Nothing may frame it.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "media-src 'self' blob:; worker-src 'self' blob:; connect-src 'self' ws: wss:; font-src 'self' data:; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static void Apply(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
    }
}
