using System.Buffers.Binary;

namespace LightNvr.Media.Rtp;

/// <summary>
/// An RTP packet as it lies in a receive buffer (RFC 3550 §5.1): the fixed 12-byte header, CSRC list, optional
/// header extension (§5.3.1) and padding (the last byte counts the padding octets). Parsing never copies.
/// </summary>
public readonly ref struct RtpPacket
{
    /// <summary>RFC 3550 §5.1: the fixed header is 12 octets.</summary>
    public const int FixedHeaderSize = 12;

    /// <summary>RTP over UDP fits one datagram; over RTSP interleaved TCP the length field is 16 bits (RFC 2326 §10.12).</summary>
    public const int MaxPacketSize = 65535;

    public byte PayloadType { get; init; }

    public bool Marker { get; init; }

    public ushort SequenceNumber { get; init; }

    public uint Timestamp { get; init; }

    public uint Ssrc { get; init; }

    public int CsrcCount { get; init; }

    public bool HasExtension { get; init; }

    /// <summary>The 16-bit "defined by profile" field of the header extension (0xBEDE for RFC 8285 one-byte headers).</summary>
    public ushort ExtensionProfile { get; init; }

    public ReadOnlySpan<byte> ExtensionData { get; init; }

    /// <summary>The payload with header, CSRCs, extension and padding removed.</summary>
    public ReadOnlySpan<byte> Payload { get; init; }

    /// <summary>Parses a packet; false when it is not RTP version 2 or any length runs past the end.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out RtpPacket packet)
    {
        packet = default;
        if (data.Length < FixedHeaderSize || data.Length > MaxPacketSize || data[0] >> 6 != 2)
        {
            return false;
        }

        var padding = (data[0] & 0x20) != 0;
        var extension = (data[0] & 0x10) != 0;
        var csrcCount = data[0] & 0x0F;
        var offset = FixedHeaderSize + (csrcCount * 4);
        if (offset > data.Length)
        {
            return false;
        }

        ushort extensionProfile = 0;
        var extensionData = ReadOnlySpan<byte>.Empty;
        if (extension)
        {
            if (offset + 4 > data.Length)
            {
                return false;
            }

            extensionProfile = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
            var words = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
            offset += 4;
            if (offset + (words * 4) > data.Length)
            {
                return false;
            }

            extensionData = data.Slice(offset, words * 4);
            offset += words * 4;
        }

        var end = data.Length;
        if (padding)
        {
            // RFC 3550 §5.1: the last octet counts the padding octets, itself included.
            var count = data[^1];
            if (count == 0 || end - count < offset)
            {
                return false;
            }

            end -= count;
        }

        packet = new RtpPacket
        {
            Marker = (data[1] & 0x80) != 0,
            PayloadType = (byte)(data[1] & 0x7F),
            SequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(data[2..]),
            Timestamp = BinaryPrimitives.ReadUInt32BigEndian(data[4..]),
            Ssrc = BinaryPrimitives.ReadUInt32BigEndian(data[8..]),
            CsrcCount = csrcCount,
            HasExtension = extension,
            ExtensionProfile = extensionProfile,
            ExtensionData = extensionData,
            Payload = data[offset..end],
        };
        return true;
    }

    /// <summary>Writes a 12-byte header with no CSRC, extension or padding (what a packetizer sends).</summary>
    public static void WriteHeader(Span<byte> destination, bool marker, byte payloadType, ushort sequenceNumber,
        uint timestamp, uint ssrc)
    {
        destination[0] = 0x80;
        destination[1] = (byte)((marker ? 0x80 : 0) | (payloadType & 0x7F));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], ssrc);
    }
}
