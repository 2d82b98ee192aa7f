using System.Globalization;
using System.Text;

namespace LightNvr.Media.Rtsp;

/// <summary>
/// Shared text layout of requests and responses (RFC 2326 §6, §7): start line, <c>Name: value</c> lines in the order
/// given, an empty line, the body. A Content-Length header is added when there is a body and none was given.
/// </summary>
internal static class RtspMessageWriter
{
    private static readonly Encoding Utf8 = new UTF8Encoding(false);

    public static int GetSize(string startLine, RtspHeaders headers, ReadOnlyMemory<byte> body)
    {
        var size = Utf8.GetByteCount(startLine) + 2;
        foreach (var (name, value) in headers)
        {
            size += Utf8.GetByteCount(name) + 2 + Utf8.GetByteCount(value) + 2;
        }

        if (NeedsContentLength(headers, body))
        {
            size += "Content-Length: ".Length + CountDigits(body.Length) + 2;
        }

        return size + 2 + body.Length;
    }

    public static int WriteTo(string startLine, RtspHeaders headers, ReadOnlyMemory<byte> body, Span<byte> destination)
    {
        var n = 0;
        n += WriteLine(startLine, destination[n..]);
        foreach (var (name, value) in headers)
        {
            n += Utf8.GetBytes(name, destination[n..]);
            destination[n++] = (byte)':';
            destination[n++] = (byte)' ';
            n += WriteLine(value, destination[n..]);
        }

        if (NeedsContentLength(headers, body))
        {
            n += WriteLine("Content-Length: " + body.Length.ToString(CultureInfo.InvariantCulture), destination[n..]);
        }

        destination[n++] = (byte)'\r';
        destination[n++] = (byte)'\n';
        body.Span.CopyTo(destination[n..]);
        return n + body.Length;
    }

    /// <summary>Convenience for callers off the hot path: the whole message as a new array.</summary>
    public static byte[] ToArray(string startLine, RtspHeaders headers, ReadOnlyMemory<byte> body)
    {
        var bytes = new byte[GetSize(startLine, headers, body)];
        WriteTo(startLine, headers, body, bytes);
        return bytes;
    }

    private static bool NeedsContentLength(RtspHeaders headers, ReadOnlyMemory<byte> body) =>
        body.Length > 0 && !headers.Contains("Content-Length");

    private static int WriteLine(string text, Span<byte> destination)
    {
        var n = Utf8.GetBytes(text, destination);
        destination[n] = (byte)'\r';
        destination[n + 1] = (byte)'\n';
        return n + 2;
    }

    private static int CountDigits(int value) => value.ToString(CultureInfo.InvariantCulture).Length;
}
