namespace LightNvr.Media.Rtsp;

/// <summary>An RTSP response, RFC 2326 §7 (<c>RTSP-Version SP Status-Code SP Reason-Phrase CRLF</c>, headers, body).</summary>
public sealed class RtspResponse
{
    public RtspResponse(int statusCode, string reasonPhrase)
    {
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
    }

    /// <summary>Three-digit status code, RFC 2326 §7.1.1.</summary>
    public int StatusCode { get; }

    public string ReasonPhrase { get; }

    public string Version { get; init; } = "RTSP/1.0";

    public RtspHeaders Headers { get; } = new();

    public ReadOnlyMemory<byte> Body { get; set; }

    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>The CSeq header as a number, or -1 when absent or not a number.</summary>
    public int CSeq => int.TryParse(Headers["CSeq"], out var cseq) ? cseq : -1;

    private string StartLine => ReasonPhrase.Length == 0 ? $"{Version} {StatusCode}" : $"{Version} {StatusCode} {ReasonPhrase}";

    public int GetSize() => RtspMessageWriter.GetSize(StartLine, Headers, Body);

    public int WriteTo(Span<byte> destination) => RtspMessageWriter.WriteTo(StartLine, Headers, Body, destination);

    public byte[] ToArray() => RtspMessageWriter.ToArray(StartLine, Headers, Body);

    public override string ToString() => $"{StatusCode} {ReasonPhrase}";
}
