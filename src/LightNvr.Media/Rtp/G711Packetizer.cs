namespace LightNvr.Media.Rtp;

/// <summary>
/// G.711 (RFC 3551 §4.5.14): the samples as they are, one octet each; a frame longer than a packet is split, the
/// timestamp advancing by the samples already sent.
/// </summary>
public sealed class G711Packetizer : RtpPacketizer
{
    public G711Packetizer(byte payloadType, uint ssrc, ushort initialSequence, uint initialTimestamp,
        int maxPacketSize = DefaultMaxPacketSize)
        : base(payloadType, ssrc, initialSequence, initialTimestamp, maxPacketSize)
    {
    }

    public override int Packetize(MediaFrame frame, RtpPacketHandler onPacket)
    {
        var samples = frame.Data.Span;
        var count = 0;
        for (var offset = 0; offset < samples.Length; offset += MaxPayloadSize)
        {
            var chunk = Math.Min(MaxPayloadSize, samples.Length - offset);
            samples.Slice(offset, chunk).CopyTo(PayloadBuffer);
            Send(chunk, false, TimestampOf(frame.Pts + offset), onPacket); // marker: talkspurt start only (RFC 3551 §4.1)
            count++;
        }

        return count;
    }
}
