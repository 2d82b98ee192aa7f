namespace LightNvr.Media.Rtsp;

/// <summary>An RTSP request, RFC 2326 §6 (<c>Method SP Request-URI SP RTSP-Version CRLF</c>, headers, body).</summary>
public sealed class RtspRequest
{
    public RtspRequest(string method, string uri)
    {
        Method = method;
        Uri = uri;
    }

    /// <summary>OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER, … (case-sensitive, RFC 2326 §6.1).</summary>
    public string Method { get; }

    /// <summary>The Request-URI as written on the wire (never with userinfo: see <see cref="RtspUrl"/>).</summary>
    public string Uri { get; }

    /// <summary>Protocol version of the start line; <c>RTSP/1.0</c> unless parsed otherwise.</summary>
    public string Version { get; init; } = "RTSP/1.0";

    public RtspHeaders Headers { get; } = new();

    public ReadOnlyMemory<byte> Body { get; set; }

    private string StartLine => $"{Method} {Uri} {Version}";

    /// <summary>Bytes <see cref="WriteTo"/> will write.</summary>
    public int GetSize() => RtspMessageWriter.GetSize(StartLine, Headers, Body);

    /// <summary>Writes the request; <paramref name="destination"/> must hold <see cref="GetSize"/> bytes.</summary>
    public int WriteTo(Span<byte> destination) => RtspMessageWriter.WriteTo(StartLine, Headers, Body, destination);

    public byte[] ToArray() => RtspMessageWriter.ToArray(StartLine, Headers, Body);

    /// <summary>The start line with the URI stripped of userinfo, for logs.</summary>
    public override string ToString() => $"{Method} {RtspUrl.Redact(Uri)}";
}
