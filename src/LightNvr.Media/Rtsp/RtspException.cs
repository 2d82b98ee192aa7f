namespace LightNvr.Media.Rtsp;

/// <summary>
/// An RTSP session failed: the camera answered an error, did not answer in time, or closed the connection.
/// The message names the method, the status and the reason; it never contains credentials (URLs in it are redacted
/// with <see cref="RtspUrl.Redact(System.Uri)"/>).
/// </summary>
public sealed class RtspException : Exception
{
    public RtspException(string message)
        : base(message)
    {
    }

    public RtspException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RtspException()
    {
    }

    public RtspException(string? method, int statusCode, string reason)
        : base(Format(method, statusCode, reason))
    {
        Method = method;
        StatusCode = statusCode;
        Reason = reason;
    }

    public RtspException(string? method, string reason, Exception? innerException = null)
        : base(Format(method, 0, reason), innerException)
    {
        Method = method;
        Reason = reason;
    }

    /// <summary>The request that failed (DESCRIBE, SETUP, …), or null for a failure outside a request.</summary>
    public string? Method { get; }

    /// <summary>The camera's status code (e.g. 401, 404, 461), or 0 when there was no response.</summary>
    public int StatusCode { get; }

    /// <summary>Reason phrase or description of the failure.</summary>
    public string? Reason { get; }

    /// <summary>True when the camera rejected the credentials (or asked for some and none were given).</summary>
    public bool IsUnauthorized => StatusCode == 401;

    private static string Format(string? method, int statusCode, string reason)
    {
        var prefix = method is null ? "RTSP" : $"RTSP {method}";
        return statusCode == 0 ? $"{prefix} failed: {reason}" : $"{prefix} failed: {statusCode} {reason}";
    }
}
