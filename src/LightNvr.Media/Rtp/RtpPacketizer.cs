namespace LightNvr.Media.Rtp;

/// <summary>
/// The inverse of <see cref="RtpDepacketizer"/>: <see cref="MediaFrame"/>s to RTP packets (RFC 3550 §5.1) no larger
/// than <see cref="MaxPacketSize"/>, for the RTSP restream server. The RTP timestamp is the frame's presentation
/// time plus a random-looking start; sequence numbers continue across frames. One instance per outgoing track.
/// Packets are handed out one at a time from a reused buffer, valid only during the callback.
/// </summary>
public abstract class RtpPacketizer
{
    /// <summary>
    /// Ethernet MTU 1500 − IPv4 header 20 − UDP header 8 = 1472 bytes per RTP packet, the limit gortsplib uses for UDP.
    /// </summary>
    public const int DefaultMaxPacketSize = 1472;

    /// <summary>Smallest packet that still carries a fragmentation unit with payload.</summary>
    public const int MinPacketSize = RtpPacket.FixedHeaderSize + 16;

    private readonly byte[] _buffer;

    protected RtpPacketizer(byte payloadType, uint ssrc, ushort initialSequence, uint initialTimestamp,
        int maxPacketSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPacketSize, MinPacketSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPacketSize, RtpPacket.MaxPacketSize);
        PayloadType = payloadType;
        Ssrc = ssrc;
        NextSequence = initialSequence;
        InitialTimestamp = initialTimestamp;
        MaxPacketSize = maxPacketSize;
        _buffer = new byte[maxPacketSize];
    }

    public byte PayloadType { get; }

    public uint Ssrc { get; }

    public uint InitialTimestamp { get; }

    public int MaxPacketSize { get; }

    /// <summary>The sequence number the next packet gets.</summary>
    public ushort NextSequence { get; private set; }

    /// <summary>Packets written so far (for an RTCP sender report's packet count).</summary>
    public long Packets { get; private set; }

    /// <summary>Payload octets written so far (for an RTCP sender report's octet count).</summary>
    public long PayloadOctets { get; private set; }

    protected int MaxPayloadSize => MaxPacketSize - RtpPacket.FixedHeaderSize;

    /// <summary>Writes the packets of one frame; returns how many.</summary>
    public abstract int Packetize(MediaFrame frame, RtpPacketHandler onPacket);

    /// <summary>The RTP timestamp of a presentation time in clock units.</summary>
    public uint TimestampOf(long pts) => unchecked(InitialTimestamp + (uint)pts);

    /// <summary>The payload area of the next packet (at most <see cref="MaxPayloadSize"/> bytes).</summary>
    protected Span<byte> PayloadBuffer => _buffer.AsSpan(RtpPacket.FixedHeaderSize);

    /// <summary>Completes the packet whose payload was written to <see cref="PayloadBuffer"/> and hands it out.</summary>
    protected void Send(int payloadLength, bool marker, uint timestamp, RtpPacketHandler onPacket)
    {
        RtpPacket.WriteHeader(_buffer, marker, PayloadType, NextSequence, timestamp, Ssrc);
        NextSequence++;
        Packets++;
        PayloadOctets += payloadLength;
        onPacket(_buffer.AsSpan(0, RtpPacket.FixedHeaderSize + payloadLength));
    }
}
