using System.Buffers;
using LightNvr.Media.Rtsp;

namespace LightNvr.Fuzz.Targets;

/// <summary>
/// The RTSP connection's byte stream. The parser's contract (RtspMessageParser): never throws, every <c>true</c>
/// consumes at least one byte, "need more" never holds more than one message's limits, and malformed input is a
/// <see cref="RtspMessageKind.Malformed"/> item. The same bytes in one segment and split in two at a point chosen by
/// the first byte must parse to the same items (the receive loop sees arbitrary TCP splits).
/// </summary>
public static class RtspTarget
{
    /// <summary>Most a "need more" may hold: a full header block of maximal lines plus the largest body.</summary>
    private const long MaxPending = ((RtspLimits.MaxHeaderCount + 2L) * RtspLimits.MaxLineLength) + RtspLimits.MaxBodyLength;

    public static void Run(byte[] data)
    {
        var whole = Parse(new ReadOnlySequence<byte>(data));
        if (data.Length < 2)
        {
            return;
        }

        var split = 1 + (data[0] % (data.Length - 1));
        var parts = Parse(SequenceSegment.Join(data.AsMemory(0, split), data.AsMemory(split)));
        if (!whole.SequenceEqual(parts))
        {
            throw new FuzzInvariantException(
                $"split at {split} changed the parse: [{string.Join(", ", whole)}] vs [{string.Join(", ", parts)}]");
        }
    }

    private static List<string> Parse(ReadOnlySequence<byte> buffer)
    {
        var items = new List<string>();
        while (true)
        {
            if (!RtspMessageParser.TryParse(buffer, out var message, out var consumed, out _))
            {
                var pending = buffer.Slice(consumed).Length;
                if (pending > MaxPending)
                {
                    throw new FuzzInvariantException($"'need more' while holding {pending} bytes");
                }

                return items;
            }

            var rest = buffer.Slice(consumed);
            if (rest.Length >= buffer.Length)
            {
                throw new FuzzInvariantException($"true without consuming a byte ({message.Kind})");
            }

            items.Add(Describe(message));
            ReadHeaderValues(message);
            buffer = rest;
        }
    }

    /// <summary>The header values the RTSP client and server read off a parsed message: their parsers are fuzzed too.</summary>
    private static void ReadHeaderValues(in RtspMessage m)
    {
        var headers = m.Request?.Headers ?? m.Response?.Headers;
        if (headers is null)
        {
            return;
        }

        RtspTransportHeader.TryParse(headers["Transport"], out _);
        RtspSessionHeader.TryParse(headers["Session"], out _);
        foreach (var (name, value) in headers)
        {
            if (name.Equals("WWW-Authenticate", StringComparison.OrdinalIgnoreCase))
            {
                RtspAuthChallenge.TryParse(value, out _);
            }
        }

        _ = m.Response?.CSeq;
    }

    private static string Describe(in RtspMessage m) => m.Kind switch
    {
        RtspMessageKind.Request => $"req {m.Request!.Method} {m.Request.Uri} {m.Request.Headers.Count} {m.Request.Body.Length}",
        RtspMessageKind.Response => $"res {m.Response!.StatusCode} {m.Response.Headers.Count} {m.Response.Body.Length}",
        RtspMessageKind.Interleaved => $"$ {m.Channel} {m.Payload.Length}",
        _ => $"bad {m.Error}",
    };
}
