using System.Buffers.Binary;

namespace LightNvr.Media.Rtp;

/// <summary>
/// The sender-info part of an RTCP Sender Report (RFC 3550 §6.4.1): which wall-clock (NTP) instant corresponds to
/// which RTP timestamp of the sender's stream. That mapping turns frame timestamps into wall-clock time.
/// </summary>
public readonly record struct RtcpSenderReport(uint Ssrc, ulong NtpTimestamp, uint RtpTimestamp, uint PacketCount,
    uint OctetCount)
{
    /// <summary>RFC 3550 §12.1: packet type SR.</summary>
    public const byte PacketTypeSr = 200;

    /// <summary>Seconds from the NTP epoch (1900-01-01) to the Unix epoch (RFC 868).</summary>
    private const long NtpToUnixSeconds = 2_208_988_800;

    /// <summary>Header (4) + SSRC (4) + NTP (8) + RTP timestamp (4) + packet count (4) + octet count (4).</summary>
    private const int MinSize = 28;

    /// <summary>The NTP timestamp as Unix milliseconds.</summary>
    public long NtpUnixMilliseconds =>
        (((long)(NtpTimestamp >> 32) - NtpToUnixSeconds) * 1000) + (long)(((NtpTimestamp & 0xFFFF_FFFF) * 1000) >> 32);

    /// <summary>The middle 32 bits of the NTP timestamp: what a receiver report echoes as LSR (§6.4.1).</summary>
    public uint CompactNtp => (uint)(NtpTimestamp >> 16);

    /// <summary>Finds the first SR in a compound RTCP packet (RFC 3550 §6.1); false when there is none or it is malformed.</summary>
    public static bool TryFind(ReadOnlySpan<byte> compound, out RtcpSenderReport report)
    {
        report = default;
        while (compound.Length >= 4)
        {
            if (compound[0] >> 6 != 2)
            {
                return false;
            }

            var length = (BinaryPrimitives.ReadUInt16BigEndian(compound[2..]) + 1) * 4;
            if (length > compound.Length)
            {
                return false;
            }

            if (compound[1] == PacketTypeSr)
            {
                if (length < MinSize)
                {
                    return false;
                }

                report = new RtcpSenderReport(
                    BinaryPrimitives.ReadUInt32BigEndian(compound[4..]),
                    BinaryPrimitives.ReadUInt64BigEndian(compound[8..]),
                    BinaryPrimitives.ReadUInt32BigEndian(compound[16..]),
                    BinaryPrimitives.ReadUInt32BigEndian(compound[20..]),
                    BinaryPrimitives.ReadUInt32BigEndian(compound[24..]));
                return true;
            }

            compound = compound[length..];
        }

        return false;
    }

    /// <summary>Writes an SR without report blocks (used by tests and a future RTSP server); returns the bytes written.</summary>
    public int WriteTo(Span<byte> destination)
    {
        destination[0] = 0x80;
        destination[1] = PacketTypeSr;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (MinSize / 4) - 1);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], NtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], RtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], PacketCount);
        BinaryPrimitives.WriteUInt32BigEndian(destination[24..], OctetCount);
        return MinSize;
    }

    /// <summary>Builds the 64-bit NTP timestamp of a Unix time.</summary>
    public static ulong ToNtp(DateTimeOffset time)
    {
        var ms = time.ToUnixTimeMilliseconds();
        var seconds = (ulong)((ms / 1000) + NtpToUnixSeconds);
        var fraction = ((ulong)(ms % 1000) << 32) / 1000;
        return (seconds << 32) | fraction;
    }
}
