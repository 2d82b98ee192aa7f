namespace LightNvr.Media.Rtsp;

/// <summary>
/// Bounds on every length the RTSP parser reads off the wire (architecture D7). A message over a limit is a counted
/// <see cref="RtspParseError"/>, never an unbounded buffer.
/// </summary>
public static class RtspLimits
{
    /// <summary>
    /// Longest start line or header line, CRLF included. Real camera lines stay under 1 KiB; the longest seen are
    /// Digest <c>WWW-Authenticate</c> challenges (~300 bytes) and multi-track <c>Transport</c> lines. 4 KiB is the
    /// same order as HTTP servers' per-line limits (Kestrel and nginx default to 8 KiB for a whole request line).
    /// </summary>
    public const int MaxLineLength = 4096;

    /// <summary>
    /// Most header lines in one message. Camera replies carry 5–15 headers (CSeq, Date, Session, Transport,
    /// Content-*, Server, Public, WWW-Authenticate twice); 64 leaves room without letting a peer grow the list.
    /// </summary>
    public const int MaxHeaderCount = 64;

    /// <summary>
    /// Largest Content-Length accepted (a DESCRIBE reply's SDP). SDPs of multi-stream cameras with base64 parameter
    /// sets are 1–4 KiB; 64 KiB is generous and keeps one message's buffering small on a 256 MB box.
    /// </summary>
    public const int MaxBodyLength = 64 * 1024;

    /// <summary>
    /// Largest interleaved frame payload: RFC 2326 §10.12 gives the length as a 16-bit unsigned integer.
    /// </summary>
    public const int MaxInterleavedPayload = ushort.MaxValue;

    /// <summary>Size of the <c>$</c>, channel and 16-bit length prefix of an interleaved frame (RFC 2326 §10.12).</summary>
    public const int InterleavedHeaderLength = 4;
}
