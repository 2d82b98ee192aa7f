using System.Buffers.Binary;

namespace LightNvr.Media.WebRtc;

/// <summary>
/// What a WebRTC receiver asks of the sender in its RTCP (compound packets, RFC 3550 §6.1): Generic NACK
/// (RFC 4585 §6.2.1, PT 205 FMT 1: lost sequence numbers), PLI (RFC 4585 §6.3.1, PT 206 FMT 1) and FIR
/// (RFC 5104 §4.3.1, PT 206 FMT 4): both answered with a keyframe. Receiver reports, REMB (PT 206 FMT 15) and
/// transport-wide feedback (PT 205 FMT 15) are read over and ignored.
/// </summary>
public static class RtcpFeedback
{
    public const byte PacketTypeRtpFeedback = 205;
    public const byte PacketTypePayloadFeedback = 206;

    /// <summary>
    /// Walks a compound packet: <paramref name="onNack"/> gets each lost (media SSRC, sequence number);
    /// <paramref name="onKeyframeRequest"/> the media SSRC of each PLI/FIR. Stops at the first malformed packet.
    /// </summary>
    public static void Parse(ReadOnlySpan<byte> compound, Action<uint, ushort> onNack, Action<uint> onKeyframeRequest)
    {
        while (compound.Length >= 4)
        {
            if ((compound[0] >> 6) != 2)
            {
                return;
            }

            var fmt = compound[0] & 0x1F;
            var type = compound[1];
            var length = 4 * (BinaryPrimitives.ReadUInt16BigEndian(compound[2..]) + 1);
            if (length > compound.Length)
            {
                return;
            }

            var packet = compound[..length];
            if (type == PacketTypeRtpFeedback && fmt == 1 && packet.Length >= 12)
            {
                var media = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
                for (var fci = packet[12..]; fci.Length >= 4; fci = fci[4..])
                {
                    var pid = BinaryPrimitives.ReadUInt16BigEndian(fci);
                    var blp = BinaryPrimitives.ReadUInt16BigEndian(fci[2..]);
                    onNack(media, pid);
                    for (var bit = 0; bit < 16; bit++)
                    {
                        if ((blp & (1 << bit)) != 0)
                        {
                            onNack(media, (ushort)(pid + bit + 1));
                        }
                    }
                }
            }
            else if (type == PacketTypePayloadFeedback && fmt == 1 && packet.Length >= 12)
            {
                onKeyframeRequest(BinaryPrimitives.ReadUInt32BigEndian(packet[8..]));
            }
            else if (type == PacketTypePayloadFeedback && fmt == 4 && packet.Length >= 20)
            {
                onKeyframeRequest(BinaryPrimitives.ReadUInt32BigEndian(packet[12..])); // FCI: SSRC, seq nr, reserved
            }

            compound = compound[length..];
        }
    }

    /// <summary>Writes a Generic NACK for one lost packet (for tests and clients); returns 16.</summary>
    public static int WriteNack(Span<byte> destination, uint senderSsrc, uint mediaSsrc, ushort lost, ushort blp = 0)
    {
        destination[0] = 0x81;
        destination[1] = PacketTypeRtpFeedback;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 3);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], mediaSsrc);
        BinaryPrimitives.WriteUInt16BigEndian(destination[12..], lost);
        BinaryPrimitives.WriteUInt16BigEndian(destination[14..], blp);
        return 16;
    }

    /// <summary>Writes a PLI (for tests and clients); returns 12.</summary>
    public static int WritePli(Span<byte> destination, uint senderSsrc, uint mediaSsrc)
    {
        destination[0] = 0x81;
        destination[1] = PacketTypePayloadFeedback;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 2);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], mediaSsrc);
        return 12;
    }
}
