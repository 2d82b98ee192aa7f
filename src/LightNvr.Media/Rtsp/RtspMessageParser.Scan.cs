using System.Buffers;
using System.Text;

namespace LightNvr.Media.Rtsp;

/// <summary>
/// The allocation-free scanning half of <see cref="RtspMessageParser"/>: line splitting under
/// <see cref="RtspLimits.MaxLineLength"/>, the "is it all here yet" check, and resynchronisation after garbage.
/// </summary>
public static partial class RtspMessageParser
{
    /// <summary>
    /// A start line begins with a method token or <c>RTSP/</c>: an uppercase letter, then uppercase letters, digits,
    /// <c>_ - . /</c> up to a space within <see cref="MaxStartTokenLength"/> bytes. Undecided (too few bytes) is plausible.
    /// </summary>
    private static bool IsPlausibleStart(in ReadOnlySequence<byte> unread)
    {
        var reader = new SequenceReader<byte>(unread);
        for (var i = 0; i <= MaxStartTokenLength && reader.TryRead(out var b); i++)
        {
            if (b == ' ' && i > 0)
            {
                return true;
            }

            var ok = b is >= (byte)'A' and <= (byte)'Z' ||
                     (i > 0 && (b is >= (byte)'0' and <= (byte)'9' || b == '_' || b == '-' || b == '.' || b == '/'));
            if (!ok)
            {
                return false;
            }
        }

        return reader.End;
    }

    /// <summary>
    /// Longest first token of a start line: the longest RFC 2326/7826 method is <c>PLAY_NOTIFY</c>/<c>SET_PARAMETER</c>
    /// (13); 32 leaves room for vendor methods.
    /// </summary>
    private const int MaxStartTokenLength = 32;

    private static void SkipToResyncPoint(ref SequenceReader<byte> reader)
    {
        reader.Advance(1);
        var rest = reader.UnreadSequence;
        var dollar = rest.PositionOf((byte)'$');
        var lf = rest.PositionOf((byte)'\n');
        if (dollar is { } d && (lf is null || rest.Slice(0, d).Length <= rest.Slice(0, lf.Value).Length))
        {
            reader.Advance(rest.Slice(0, d).Length);
        }
        else if (lf is { } l)
        {
            reader.Advance(rest.Slice(0, l).Length + 1);
        }
        else
        {
            reader.Advance(rest.Length);
        }
    }

    /// <summary>
    /// Scans (without allocating) whether the header block and the body it announces are all buffered; true also when
    /// a limit is hit, so that the full parse reports the error.
    /// </summary>
    private static bool IsComplete(SequenceReader<byte> scan)
    {
        long bodyLength = 0;
        for (var lines = 0; lines <= RtspLimits.MaxHeaderCount + 1; lines++)
        {
            var status = ReadLine(ref scan, out var line);
            if (status != LineStatus.Ok)
            {
                return status == LineStatus.TooLong;
            }

            if (line.IsEmpty)
            {
                return scan.Remaining >= bodyLength;
            }

            if (lines > 0 && TryReadContentLength(line, out var length))
            {
                bodyLength = length;
            }
        }

        return true;
    }

    private static bool TryReadContentLength(in ReadOnlySequence<byte> line, out long length)
    {
        length = 0;
        const int nameLength = 15; // "Content-Length:"
        if (line.Length <= nameLength || line.Length > 64)
        {
            return false;
        }

        Span<byte> text = stackalloc byte[(int)line.Length];
        line.CopyTo(text);
        if (!Ascii.EqualsIgnoreCase(text[..nameLength], "Content-Length:"u8))
        {
            return false;
        }

        var digits = text[nameLength..].Trim((byte)' ');
        return System.Buffers.Text.Utf8Parser.TryParse(digits, out length, out var used) && used == digits.Length &&
               length <= RtspLimits.MaxBodyLength;
    }

    private enum LineStatus
    {
        Ok,
        NeedMore,
        TooLong,
    }

    /// <summary>Reads one line ending in LF (CR before it optional, as some cameras send bare LF).</summary>
    private static LineStatus ReadLine(ref SequenceReader<byte> reader, out ReadOnlySequence<byte> line)
    {
        if (!reader.TryReadTo(out line, (byte)'\n'))
        {
            line = default;
            if (reader.Remaining < RtspLimits.MaxLineLength)
            {
                return LineStatus.NeedMore;
            }

            // Over the limit without its end in sight: skip what is buffered (the caller bounds its buffer).
            reader.Advance(reader.Remaining);
            return LineStatus.TooLong;
        }

        if (line.Length + 1 > RtspLimits.MaxLineLength)
        {
            return LineStatus.TooLong;
        }

        if (!line.IsEmpty && line.Slice(line.Length - 1).FirstSpan[0] == '\r')
        {
            line = line.Slice(0, line.Length - 1);
        }

        return LineStatus.Ok;
    }
}
