using System.Buffers;
using System.Globalization;
using System.Text;
using LightNvr.Media.Rtsp;

namespace LightNvr.Media.Tests.Rtsp;

/// <summary>
/// Drives <see cref="RtspMessageParser"/> the way the connection's read loop does (parse until "need more", keep the
/// unconsumed rest, append what arrives next) and records each item as one line of text for comparison.
/// </summary>
internal sealed class ParsedStream
{
    private byte[] _pending = [];

    public List<string> Items { get; } = [];

    public int Errors { get; private set; }

    /// <summary>Bytes the parser itself allocated (the harness's own copies and descriptions excluded).</summary>
    public long ParserAllocatedBytes { get; private set; }

    /// <summary>Bytes left unconsumed after the last <see cref="Feed"/>.</summary>
    public int Pending => _pending.Length;

    /// <summary>Appends <paramref name="data"/>, as a second segment, and parses everything that is complete.</summary>
    public void Feed(ReadOnlyMemory<byte> data)
    {
        var buffer = _pending.Length == 0 ? Segments.Of(data) : Segments.Of(_pending, data);
        while (true)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var ok = RtspMessageParser.TryParse(buffer, out var message, out var consumed, out var examined);
            ParserAllocatedBytes += GC.GetAllocatedBytesForCurrentThread() - before;
            var consumedBytes = buffer.Slice(buffer.Start, consumed).Length;
            if (!ok)
            {
                Assert.Equal(buffer.End, examined); // "need more" examined everything
                buffer = buffer.Slice(consumed);
                break;
            }

            Assert.True(consumedBytes > 0, "a parsed item must consume bytes");
            Items.Add(Describe(message));
            if (message.Kind == RtspMessageKind.Malformed)
            {
                Errors++;
            }

            buffer = buffer.Slice(consumed);
        }

        _pending = buffer.ToArray();
    }

    public static ParsedStream Parse(byte[] data)
    {
        var stream = new ParsedStream();
        stream.Feed(data);
        return stream;
    }

    public static string Describe(in RtspMessage message)
    {
        var sb = new StringBuilder(message.Kind.ToString());
        switch (message.Kind)
        {
            case RtspMessageKind.Request:
                sb.Append(' ').Append(message.Request!.Method).Append(' ').Append(message.Request.Uri);
                AppendHeaders(sb, message.Request.Headers, message.Request.Body);
                break;
            case RtspMessageKind.Response:
                sb.Append(' ').Append(message.Response!.StatusCode).Append(' ').Append(message.Response.ReasonPhrase);
                AppendHeaders(sb, message.Response.Headers, message.Response.Body);
                break;
            case RtspMessageKind.Interleaved:
                sb.Append(CultureInfo.InvariantCulture, $" ch={message.Channel} ")
                    .Append(Convert.ToHexString(message.Payload.ToArray()));
                break;
            default:
                sb.Append(' ').Append(message.Error);
                break;
        }

        return sb.ToString();
    }

    private static void AppendHeaders(StringBuilder sb, RtspHeaders headers, ReadOnlyMemory<byte> body)
    {
        foreach (var (name, value) in headers)
        {
            sb.Append('|').Append(name).Append('=').Append(value);
        }

        sb.Append("|body=").Append(Convert.ToHexString(body.Span));
    }
}
