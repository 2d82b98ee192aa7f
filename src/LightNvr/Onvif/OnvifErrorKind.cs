namespace LightNvr.Onvif;

/// <summary>Why a call to a camera failed, so the API can say it in words a user can act on.</summary>
public enum OnvifErrorKind
{
    /// <summary>No TCP connection, DNS failure, connection reset.</summary>
    Unreachable,

    /// <summary>No complete reply within the deadline (including a reply that never ends).</summary>
    Timeout,

    /// <summary>HTTP 401/403 or a SOAP fault <c>ter:NotAuthorized</c>: wrong user name or password.</summary>
    Unauthorized,

    /// <summary>The camera does not offer the operation or service (<c>ter:ActionNotSupported</c>, no service URL).</summary>
    NotSupported,

    /// <summary>Any other SOAP fault; the message carries the camera's reason.</summary>
    Fault,

    /// <summary>The reply is not a SOAP envelope the client can read (garbage, HTML, a DTD, a missing element).</summary>
    BadReply,

    /// <summary>The reply is larger than <see cref="OnvifSoapClient.MaxReplyBytes"/>.</summary>
    TooLarge,
}
