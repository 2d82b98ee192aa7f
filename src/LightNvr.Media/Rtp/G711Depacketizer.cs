namespace LightNvr.Media.Rtp;

/// <summary>
/// G.711 µ-law (PCMU, static payload type 0) and A-law (PCMA, 8) per RFC 3551 §4.5.14: one octet per sample, so a
/// packet's payload is one frame of samples at the packet's timestamp.
/// </summary>
public sealed class G711Depacketizer : RtpDepacketizer
{
    /// <summary>RFC 3551 §4.5.14 and Table 4: 8000 Hz.</summary>
    public const int DefaultClockRate = 8000;

    public G711Depacketizer(RtpPayloadFormat format, MediaCodec codec, int trackId, TimeProvider clock,
        Action<MediaFrame> onFrame)
        : base(format, new MediaTrack
        {
            Id = trackId,
            Codec = codec,
            ClockRate = format.ClockRate > 0 ? format.ClockRate : DefaultClockRate,
            SampleRate = format.ClockRate > 0 ? format.ClockRate : DefaultClockRate,
            Channels = Math.Max(1, format.Channels),
        }, clock, onFrame)
    {
    }

    protected override void OnPacket(in RtpPacket packet, long timestamp)
    {
        if (packet.Payload.IsEmpty)
        {
            CountMalformed();
            return;
        }

        EmitFrame(timestamp, timestamp, 0, true, packet.Payload.ToArray());
    }

    protected override void OnDiscontinuity(int count)
    {
        // Each packet stands alone: nothing partial to drop.
    }
}
