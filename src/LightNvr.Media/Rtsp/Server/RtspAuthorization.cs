namespace LightNvr.Media.Rtsp.Server;

/// <summary>The answer of <see cref="IRtspServerHandler.AuthorizeAsync"/>.</summary>
public enum RtspAuthorization
{
    Allowed,

    /// <summary>No or wrong credentials: 401 with a challenge (RFC 2326 §11.4.2).</summary>
    Unauthorized,

    /// <summary>Valid credentials without the right for this access or stream: 403 (RFC 2326 §11.4.4).</summary>
    Forbidden,
}
