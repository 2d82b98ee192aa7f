using System.Buffers;

namespace LightNvr.Media.Rtsp;

/// <summary>
/// One item parsed off an RTSP connection: a request, a response, an interleaved frame or a skipped malformed run.
/// For <see cref="RtspMessageKind.Interleaved"/>, <see cref="Payload"/> is a slice of the reader's buffer and is valid
/// only until the caller advances the reader past it (copy it if it must live longer).
/// </summary>
public readonly struct RtspMessage
{
    private RtspMessage(RtspMessageKind kind, RtspRequest? request, RtspResponse? response, byte channel,
        ReadOnlySequence<byte> payload, RtspParseError error)
    {
        Kind = kind;
        Request = request;
        Response = response;
        Channel = channel;
        Payload = payload;
        Error = error;
    }

    public RtspMessageKind Kind { get; }

    public RtspRequest? Request { get; }

    public RtspResponse? Response { get; }

    /// <summary>Interleaved channel, RFC 2326 §10.12 (by convention even = RTP, odd = RTCP).</summary>
    public byte Channel { get; }

    public ReadOnlySequence<byte> Payload { get; }

    public RtspParseError Error { get; }

    public static RtspMessage FromRequest(RtspRequest request) =>
        new(RtspMessageKind.Request, request, null, 0, default, RtspParseError.None);

    public static RtspMessage FromResponse(RtspResponse response) =>
        new(RtspMessageKind.Response, null, response, 0, default, RtspParseError.None);

    public static RtspMessage FromInterleaved(byte channel, ReadOnlySequence<byte> payload) =>
        new(RtspMessageKind.Interleaved, null, null, channel, payload, RtspParseError.None);

    public static RtspMessage FromError(RtspParseError error) =>
        new(RtspMessageKind.Malformed, null, null, 0, default, error);
}
