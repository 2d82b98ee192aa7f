namespace LightNvr.Media.Rtp;

/// <summary>H.265 packetization, RFC 7798 without DONL (sprop-max-don-diff = 0): single NAL, AP, FU.</summary>
public sealed class H265Packetizer : NalUnitPacketizer
{
    public H265Packetizer(byte payloadType, uint ssrc, ushort initialSequence, uint initialTimestamp,
        int maxPacketSize = DefaultMaxPacketSize)
        : base(2, payloadType, ssrc, initialSequence, initialTimestamp, maxPacketSize)
    {
    }

    private protected override void WriteAggregationHeader(ReadOnlySpan<byte> firstNal, Span<byte> destination)
    {
        // RFC 7798 §4.4.2: type 48, layer id and TID the lowest of the aggregated units (the first one's here).
        destination[0] = (byte)((firstNal[0] & 0x81) | (48 << 1));
        destination[1] = firstNal[1];
    }

    private protected override int WriteFragmentHeader(ReadOnlySpan<byte> nal, bool start, bool end, Span<byte> destination)
    {
        // RFC 7798 §4.4.3: payload header with type 49, then S, E and the NAL type.
        destination[0] = (byte)((nal[0] & 0x81) | (49 << 1));
        destination[1] = nal[1];
        destination[2] = (byte)((start ? 0x80 : 0) | (end ? 0x40 : 0) | ((nal[0] >> 1) & 0x3F));
        return 3;
    }
}
