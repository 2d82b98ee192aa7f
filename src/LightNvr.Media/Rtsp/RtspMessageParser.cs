using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace LightNvr.Media.Rtsp;

/// <summary>
/// Parses the byte stream of an RTSP connection: requests and responses (RFC 2326 §6, §7; RFC 7826 §8) mixed with
/// interleaved binary frames (<c>$</c>, channel, 16-bit length, payload: RFC 2326 §10.12).
/// Kestrel's contract: <c>false</c> means "need more bytes" (<c>examined</c> is the end of the buffer); <c>true</c>
/// yields one item and <c>consumed</c> is where the next one starts. Malformed input yields a
/// <see cref="RtspMessageKind.Malformed"/> item and skips the offending bytes; it never throws and never buffers more
/// than the <see cref="RtspLimits"/> allow.
/// </summary>
public static partial class RtspMessageParser
{
    private static readonly Encoding Utf8 = Encoding.UTF8;

    public static bool TryParse(in ReadOnlySequence<byte> buffer, out RtspMessage message,
        out SequencePosition consumed, out SequencePosition examined)
    {
        message = default;
        consumed = buffer.Start;
        examined = buffer.End;
        var reader = new SequenceReader<byte>(buffer);

        // Stray CR/LF between messages (some servers end a body with an extra CRLF) is skipped silently.
        while (reader.TryPeek(out var b) && (b == '\r' || b == '\n'))
        {
            reader.Advance(1);
        }

        consumed = reader.Position;
        if (!reader.TryPeek(out var first))
        {
            return false;
        }

        return first == '$'
            ? TryParseInterleaved(ref reader, out message, ref consumed, ref examined)
            : TryParseText(ref reader, out message, ref consumed, ref examined);
    }

    private static bool TryParseInterleaved(ref SequenceReader<byte> reader, out RtspMessage message,
        ref SequencePosition consumed, ref SequencePosition examined)
    {
        message = default;
        Span<byte> header = stackalloc byte[RtspLimits.InterleavedHeaderLength];
        if (!reader.TryCopyTo(header))
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        if (reader.Remaining < RtspLimits.InterleavedHeaderLength + length)
        {
            return false;
        }

        reader.Advance(RtspLimits.InterleavedHeaderLength);
        var payload = reader.UnreadSequence.Slice(0, length);
        reader.Advance(length);
        message = RtspMessage.FromInterleaved(header[1], payload);
        consumed = examined = reader.Position;
        return true;
    }

    private static bool TryParseText(ref SequenceReader<byte> reader, out RtspMessage message,
        ref SequencePosition consumed, ref SequencePosition examined)
    {
        message = default;
        if (!IsPlausibleStart(reader.UnreadSequence))
        {
            // Not the start of any message (binary garbage, a lost frame's tail): skip to the next '$' or line end
            // without waiting for a line that may never come, so interleaved frames after it are not lost.
            SkipToResyncPoint(ref reader);
            message = RtspMessage.FromError(RtspParseError.BadStartLine);
            consumed = examined = reader.Position;
            return true;
        }

        if (!IsComplete(reader))
        {
            // Decide "need more" before allocating anything, so a message arriving in many pieces costs no garbage.
            return false;
        }

        var status = ReadLine(ref reader, out var startLine);
        if (status != LineStatus.Ok)
        {
            return Fail(status, ref reader, RtspParseError.LineTooLong, out message, ref consumed, ref examined);
        }

        var start = Utf8.GetString(startLine);
        RtspRequest? request = null;
        RtspResponse? response = null;
        if (!TryParseStartLine(start, out request, out response))
        {
            // Resynchronise at a '$' inside the bad line, so interleaved frames after garbage are not lost. Searched in
            // the bytes: the decoded text's offsets differ from them when the line holds invalid UTF-8 (U+FFFD).
            if (startLine.PositionOf((byte)'$') is { } dollar && startLine.Slice(0, dollar).Length > 0)
            {
                consumed = examined = dollar;
            }
            else
            {
                consumed = examined = reader.Position;
            }

            message = RtspMessage.FromError(RtspParseError.BadStartLine);
            return true;
        }

        var headers = request?.Headers ?? response!.Headers;
        while (true)
        {
            status = ReadLine(ref reader, out var line);
            if (status != LineStatus.Ok)
            {
                return Fail(status, ref reader, RtspParseError.LineTooLong, out message, ref consumed, ref examined);
            }

            if (line.IsEmpty)
            {
                break;
            }

            if (headers.Count >= RtspLimits.MaxHeaderCount)
            {
                return Malformed(RtspParseError.TooManyHeaders, ref reader, out message, ref consumed, ref examined);
            }

            if (!TryAddHeader(headers, Utf8.GetString(line)))
            {
                return Malformed(RtspParseError.BadHeader, ref reader, out message, ref consumed, ref examined);
            }
        }

        var bodyLength = 0;
        if (headers["Content-Length"] is { } contentLength)
        {
            if (!int.TryParse(contentLength.AsSpan().Trim(), System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out bodyLength))
            {
                return Malformed(RtspParseError.BadContentLength, ref reader, out message, ref consumed, ref examined);
            }

            if (bodyLength > RtspLimits.MaxBodyLength)
            {
                return Malformed(RtspParseError.BodyTooLong, ref reader, out message, ref consumed, ref examined);
            }
        }

        if (reader.Remaining < bodyLength)
        {
            return false;
        }

        if (bodyLength > 0)
        {
            var body = reader.UnreadSequence.Slice(0, bodyLength).ToArray();
            reader.Advance(bodyLength);
            if (request is not null)
            {
                request.Body = body;
            }
            else
            {
                response!.Body = body;
            }
        }

        message = request is not null ? RtspMessage.FromRequest(request) : RtspMessage.FromResponse(response!);
        consumed = examined = reader.Position;
        return true;
    }

    private static bool Fail(LineStatus status, ref SequenceReader<byte> reader, RtspParseError error,
        out RtspMessage message, ref SequencePosition consumed, ref SequencePosition examined)
    {
        message = default;
        if (status == LineStatus.NeedMore)
        {
            return false;
        }

        message = RtspMessage.FromError(error);
        consumed = examined = reader.Position;
        return true;
    }

    private static bool Malformed(RtspParseError error, ref SequenceReader<byte> reader, out RtspMessage message,
        ref SequencePosition consumed, ref SequencePosition examined)
    {
        // The offending line has been read; skip through it. Later lines of the same message then fail as start
        // lines and are counted too, until the stream is back at a message or '$' boundary.
        message = RtspMessage.FromError(error);
        consumed = examined = reader.Position;
        return true;
    }

    private static bool TryParseStartLine(string line, out RtspRequest? request, out RtspResponse? response)
    {
        request = null;
        response = null;
        if (line.StartsWith("RTSP/", StringComparison.Ordinal))
        {
            // RTSP-Version SP Status-Code SP Reason-Phrase (RFC 2326 §7.1); some servers omit the reason.
            var firstSpace = line.IndexOf(' ', StringComparison.Ordinal);
            if (firstSpace < 0 || line.Length < firstSpace + 4)
            {
                return false;
            }

            var code = line.AsSpan(firstSpace + 1, 3);
            if (!IsDigits(code) || code[0] == '0' || (line.Length > firstSpace + 4 && line[firstSpace + 4] != ' '))
            {
                return false;
            }

            var reason = line.Length > firstSpace + 5 ? line[(firstSpace + 5)..] : "";
            response = new RtspResponse(int.Parse(code, provider: System.Globalization.CultureInfo.InvariantCulture), reason)
            {
                Version = line[..firstSpace],
            };
            return true;
        }

        // Method SP Request-URI SP RTSP-Version (RFC 2326 §6.1).
        var parts = line.Split(' ');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0 || !IsToken(parts[0]) ||
            !parts[2].StartsWith("RTSP/", StringComparison.Ordinal))
        {
            return false;
        }

        request = new RtspRequest(parts[0], parts[1]) { Version = parts[2] };
        return true;
    }

    private static bool TryAddHeader(RtspHeaders headers, string line)
    {
        if (line[0] is ' ' or '\t')
        {
            // Folded continuation line (RFC 2326 §4.2 via RFC 2616 §2.2 LWS).
            if (headers.Count == 0)
            {
                return false;
            }

            headers.AppendToLast(line.Trim());
            return true;
        }

        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !IsToken(line.AsSpan(0, colon)))
        {
            return false;
        }

        headers.Add(line[..colon], line[(colon + 1)..].Trim());
        return true;
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>RFC 2616 §2.2 token characters (header names and methods).</summary>
    private static bool IsToken(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
