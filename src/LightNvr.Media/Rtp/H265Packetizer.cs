namespace LightNvr.Media.Rtp;

/// <summary>H.265 packetization, RFC 7798 without DONL (sprop-max-don-diff = 0): single NAL, AP, FU.</summary>
public sealed class H265Packetizer : NalUnitPacketizer
{
    public H265Packetizer(byte payloadType, uint ssrc, ushort initialSequence, uint initialTimestamp,
        int maxPacketSize = DefaultMaxPacketSize)
        : base(2, payloadType, ssrc, initialSequence, initialTimestamp, maxPacketSize)
    {
    }

    private protected override void WriteAggregationHeader(ReadOnlySpan<byte> units, Span<byte> payload)
    {
        // RFC 7798 §4.4.2: F is the OR of the units' F bits; LayerId and TID are the lowest of theirs.
        int f = 0, layer = 63, tid = 7;
        while (NextUnit(ref units, out var b0, out var b1))
        {
            f |= b0 & 0x80;
            layer = Math.Min(layer, ((b0 & 1) << 5) | (b1 >> 3));
            tid = Math.Min(tid, b1 & 7);
        }

        payload[0] = (byte)(f | (48 << 1) | (layer >> 5));
        payload[1] = (byte)(((layer & 0x1F) << 3) | tid);
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
