using System.Globalization;
using System.Text;

namespace LightNvr.Media.Rtsp;

/// <summary>
/// One transport specification of the Transport header, RFC 2326 §12.39:
/// <c>RTP/AVP[/TCP];unicast;interleaved=0-1</c> or <c>RTP/AVP;unicast;client_port=5000-5001;server_port=…;ssrc=…</c>.
/// </summary>
public sealed record RtspTransportHeader
{
    /// <summary><c>RTP/AVP</c> (UDP) or <c>RTP/AVP/TCP</c>.</summary>
    public string Protocol { get; init; } = "RTP/AVP";

    public bool IsTcp => Protocol.EndsWith("/TCP", StringComparison.OrdinalIgnoreCase);

    public bool Unicast { get; init; } = true;

    public (int Rtp, int Rtcp)? Interleaved { get; init; }

    public (int Rtp, int Rtcp)? ClientPort { get; init; }

    public (int Rtp, int Rtcp)? ServerPort { get; init; }

    /// <summary>The server's SSRC for this stream, when it says (hex in the header).</summary>
    public uint? Ssrc { get; init; }

    public string? Source { get; init; }

    /// <summary>Parses the first transport of a (possibly comma-separated) Transport header value.</summary>
    public static bool TryParse(string? value, out RtspTransportHeader header)
    {
        header = new RtspTransportHeader();
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var first = value.Split(',')[0];
        var parts = first.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || !parts[0].StartsWith("RTP/", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var result = new RtspTransportHeader { Protocol = parts[0] };
        foreach (var part in parts.AsSpan(1))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? part : part[..eq];
            var v = eq < 0 ? "" : part[(eq + 1)..];
            switch (key.ToLowerInvariant())
            {
                case "unicast":
                    result = result with { Unicast = true };
                    break;
                case "multicast":
                    result = result with { Unicast = false };
                    break;
                case "interleaved":
                    result = result with { Interleaved = ParsePair(v) };
                    break;
                case "client_port":
                    result = result with { ClientPort = ParsePair(v) };
                    break;
                case "server_port":
                    result = result with { ServerPort = ParsePair(v) };
                    break;
                case "source":
                    result = result with { Source = v };
                    break;
                case "ssrc":
                    // Some cameras pad or shorten the 8 hex digits; take the low 32 bits of what parses.
                    if (ulong.TryParse(v.Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var ssrc))
                    {
                        result = result with { Ssrc = (uint)ssrc };
                    }

                    break;
            }
        }

        header = result;
        return true;
    }

    /// <summary>The header value for a request.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Protocol);
        sb.Append(Unicast ? ";unicast" : ";multicast");
        AppendPair(sb, "interleaved", Interleaved);
        AppendPair(sb, "client_port", ClientPort);
        AppendPair(sb, "server_port", ServerPort);
        if (Ssrc is { } ssrc)
        {
            sb.Append(CultureInfo.InvariantCulture, $";ssrc={ssrc:X8}");
        }

        return sb.ToString();
    }

    private static void AppendPair(StringBuilder sb, string name, (int Rtp, int Rtcp)? pair)
    {
        if (pair is { } p)
        {
            sb.Append(CultureInfo.InvariantCulture, $";{name}={p.Rtp}-{p.Rtcp}");
        }
    }

    /// <summary><c>a-b</c> or a single <c>a</c> (then b = a + 1, as RFC 2326 §12.39 implies for port pairs).</summary>
    private static (int, int)? ParsePair(string v)
    {
        var dash = v.IndexOf('-', StringComparison.Ordinal);
        var a = dash < 0 ? v : v[..dash];
        if (!int.TryParse(a.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var first) || first > 65535)
        {
            return null;
        }

        if (dash < 0)
        {
            return (first, first + 1);
        }

        return int.TryParse(v.AsSpan(dash + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var second) &&
               second <= 65535
            ? (first, second)
            : null;
    }
}
