namespace LightNvr.Media.Rtsp;

/// <summary>What <see cref="RtspMessageParser.TryParse"/> found at the start of the buffer.</summary>
public enum RtspMessageKind
{
    /// <summary>A request (a server may send GET_PARAMETER, SET_PARAMETER, ANNOUNCE or REDIRECT to a client).</summary>
    Request,

    /// <summary>A response to one of our requests.</summary>
    Response,

    /// <summary>An interleaved binary frame, RFC 2326 §10.12.</summary>
    Interleaved,

    /// <summary>Bytes that are no valid message; they were skipped and the error is in <see cref="RtspMessage.Error"/>.</summary>
    Malformed,
}
