namespace LightNvr.Media.Rtp;

/// <summary>H.264 packetization, RFC 6184 non-interleaved mode (packetization-mode=1): single NAL, STAP-A, FU-A.</summary>
public sealed class H264Packetizer : NalUnitPacketizer
{
    public H264Packetizer(byte payloadType, uint ssrc, ushort initialSequence, uint initialTimestamp,
        int maxPacketSize = DefaultMaxPacketSize)
        : base(1, payloadType, ssrc, initialSequence, initialTimestamp, maxPacketSize)
    {
    }

    private protected override void WriteAggregationHeader(ReadOnlySpan<byte> units, Span<byte> payload)
    {
        // RFC 6184 §5.7.1: F is the OR of the units' F bits, NRI the maximum of their NRIs.
        int f = 0, nri = 0;
        while (NextUnit(ref units, out var header, out _))
        {
            f |= header & 0x80;
            nri = Math.Max(nri, header & 0x60);
        }

        payload[0] = (byte)(f | nri | (int)Codecs.H264.H264NalUnitType.StapA);
    }

    private protected override int WriteFragmentHeader(ReadOnlySpan<byte> nal, bool start, bool end, Span<byte> destination)
    {
        // RFC 6184 §5.8: FU indicator carries F/NRI and type 28; FU header carries S, E and the NAL type.
        destination[0] = (byte)((nal[0] & 0xE0) | 28);
        destination[1] = (byte)((start ? 0x80 : 0) | (end ? 0x40 : 0) | (nal[0] & 0x1F));
        return 2;
    }
}
