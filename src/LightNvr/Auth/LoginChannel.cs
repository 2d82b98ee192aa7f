namespace LightNvr.Auth;

/// <summary>
/// Where a password was tried. Failures are counted per channel, so guesses at the web login never lock the account a
/// camera publishes with over RTSP, and the other way round.
/// </summary>
public enum LoginChannel
{
    /// <summary>The login form and API, TOTP, HTTP Basic on any web request.</summary>
    Web,

    /// <summary>The RTSP restream server (publishers and readers).</summary>
    Rtsp,
}
