namespace LightNvr.Media.Rtp;

/// <summary>
/// Opus (RFC 7587 §4.2): one Opus packet per RTP packet, the payload as it is; the RTP clock is always 48 kHz
/// (§4.1) whatever the encoder's input rate; the marker bit only starts a talkspurt after DTX, so it stays 0 here.
/// A packet larger than <see cref="RtpPacketizer.MaxPacketSize"/> cannot be split (§4.2: never fragmented) and is
/// dropped (an Opus packet is at most 1,275 bytes per frame, RFC 6716 §3.2.1; 20 ms at 32 kbit/s is ~80 bytes).
/// </summary>
public sealed class OpusPacketizer : RtpPacketizer
{
    public OpusPacketizer(byte payloadType, uint ssrc, ushort initialSequence, uint initialTimestamp,
        int maxPacketSize = DefaultMaxPacketSize)
        : base(payloadType, ssrc, initialSequence, initialTimestamp, maxPacketSize)
    {
    }

    /// <summary>Opus packets dropped for being larger than a packet.</summary>
    public long Oversized { get; private set; }

    public override int Packetize(MediaFrame frame, RtpPacketHandler onPacket)
    {
        var payload = frame.Data.Span;
        if (payload.IsEmpty || payload.Length > MaxPayloadSize)
        {
            Oversized += payload.IsEmpty ? 0 : 1;
            return 0;
        }

        payload.CopyTo(PayloadBuffer);
        Send(payload.Length, false, TimestampOf(frame.Pts), onPacket);
        return 1;
    }
}
