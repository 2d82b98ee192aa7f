using System.Buffers.Binary;
using System.Text;

namespace LightNvr.Media.Rtp;

/// <summary>
/// A compound RTCP packet of one Receiver Report with one report block (RFC 3550 §6.4.2) followed by the SDES CNAME
/// every compound packet must carry (§6.1, §6.5.1). The RTSP client sends it over UDP, or interleaved, every few
/// seconds so cameras that watch for receiver reports keep streaming.
/// </summary>
public readonly record struct RtcpReceiverReport(
    uint ReporterSsrc,
    uint SourceSsrc,
    byte FractionLost,
    int CumulativeLost,
    uint ExtendedHighestSequence,
    uint Jitter,
    uint LastSenderReport,
    uint DelaySinceLastSenderReport,
    string CanonicalName)
{
    /// <summary>RFC 3550 §12.1 packet types.</summary>
    public const byte PacketTypeRr = 201;

    public const byte PacketTypeSdes = 202;

    /// <summary>RFC 3550 §6.5: an SDES item's text is at most 255 octets.</summary>
    public const int MaxCanonicalNameBytes = 255;

    /// <summary>RR header (8) + one report block (24).</summary>
    private const int ReceiverReportSize = 32;

    public int GetSize()
    {
        var name = Math.Min(Encoding.UTF8.GetByteCount(CanonicalName), MaxCanonicalNameBytes);
        // SDES: header 4, SSRC 4, item type+length 2, text, END 1, padded to 32 bits.
        return ReceiverReportSize + 4 + ((4 + 2 + name + 1 + 3) / 4 * 4);
    }

    public int WriteTo(Span<byte> destination)
    {
        var size = GetSize();
        var d = destination[..size];
        d.Clear();
        d[0] = 0x81; // V=2, RC=1
        d[1] = PacketTypeRr;
        BinaryPrimitives.WriteUInt16BigEndian(d[2..], (ReceiverReportSize / 4) - 1);
        BinaryPrimitives.WriteUInt32BigEndian(d[4..], ReporterSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(d[8..], SourceSsrc);
        var lost = Math.Clamp(CumulativeLost, -0x800000, 0x7FFFFF) & 0xFFFFFF;
        BinaryPrimitives.WriteUInt32BigEndian(d[12..], ((uint)FractionLost << 24) | (uint)lost);
        BinaryPrimitives.WriteUInt32BigEndian(d[16..], ExtendedHighestSequence);
        BinaryPrimitives.WriteUInt32BigEndian(d[20..], Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(d[24..], LastSenderReport);
        BinaryPrimitives.WriteUInt32BigEndian(d[28..], DelaySinceLastSenderReport);

        var s = d[ReceiverReportSize..];
        s[0] = 0x81; // V=2, SC=1
        s[1] = PacketTypeSdes;
        BinaryPrimitives.WriteUInt16BigEndian(s[2..], (ushort)((s.Length / 4) - 1));
        BinaryPrimitives.WriteUInt32BigEndian(s[4..], ReporterSsrc);
        s[8] = 1; // CNAME
        Span<byte> name = stackalloc byte[MaxCanonicalNameBytes * 4]; // UTF-8: ≤ 4 bytes per char
        var nameLength = Encoding.UTF8.GetBytes(CanonicalName.AsSpan(0, Math.Min(CanonicalName.Length, MaxCanonicalNameBytes)), name);
        nameLength = Math.Min(nameLength, MaxCanonicalNameBytes);
        s[9] = (byte)nameLength;
        name[..nameLength].CopyTo(s[10..]);
        return size;
    }
}
