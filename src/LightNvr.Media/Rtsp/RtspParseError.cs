namespace LightNvr.Media.Rtsp;

/// <summary>Why bytes on an RTSP connection were rejected. Each one is counted, never thrown.</summary>
public enum RtspParseError
{
    None = 0,

    /// <summary>A line longer than <see cref="RtspLimits.MaxLineLength"/>.</summary>
    LineTooLong,

    /// <summary>More than <see cref="RtspLimits.MaxHeaderCount"/> header lines.</summary>
    TooManyHeaders,

    /// <summary>A start line that is neither <c>RTSP/x.y code reason</c> nor <c>METHOD uri RTSP/x.y</c>.</summary>
    BadStartLine,

    /// <summary>A header line without a colon or with an empty name.</summary>
    BadHeader,

    /// <summary>A Content-Length that is not a number or is negative.</summary>
    BadContentLength,

    /// <summary>A Content-Length over <see cref="RtspLimits.MaxBodyLength"/>.</summary>
    BodyTooLong,
}
