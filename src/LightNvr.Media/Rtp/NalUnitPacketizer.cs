using System.Buffers.Binary;

namespace LightNvr.Media.Rtp;

/// <summary>
/// What H.264 (RFC 6184) and H.265 (RFC 7798) packetization share: walk the frame's length-prefixed NAL units,
/// gather consecutive small ones into one aggregation packet (STAP-A §5.7.1 / AP §4.4.2), send a NAL that fits on
/// its own as a single NAL unit packet, and split a larger one into fragmentation units (FU-A §5.8 / FU §4.4.3).
/// The marker bit is set on the access unit's last packet.
/// </summary>
public abstract class NalUnitPacketizer : RtpPacketizer
{
    private readonly int _headerSize;

    private protected NalUnitPacketizer(int nalHeaderSize, byte payloadType, uint ssrc, ushort initialSequence,
        uint initialTimestamp, int maxPacketSize)
        : base(payloadType, ssrc, initialSequence, initialTimestamp, maxPacketSize)
    {
        _headerSize = nalHeaderSize;
    }

    public override int Packetize(MediaFrame frame, RtpPacketHandler onPacket)
    {
        var timestamp = TimestampOf(frame.Pts);
        var before = Packets;
        var data = frame.Data.Span;
        var aggregateLength = 0; // bytes written into PayloadBuffer for the aggregate in progress
        var aggregateCount = 0;
        var firstInAggregate = default(ReadOnlySpan<byte>);
        while (data.Length >= 4)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(data);
            if (length <= _headerSize || length > data.Length - 4)
            {
                break; // not AVCC: stop rather than send garbage
            }

            var nal = data.Slice(4, length);
            data = data[(4 + length)..];
            var last = data.Length < 4;

            // Try to add to the aggregate: aggregation header + (2-byte size + NAL) per unit.
            var needed = (aggregateCount == 0 ? _headerSize : 0) + 2 + nal.Length;
            if (aggregateLength + needed <= MaxPayloadSize && !last)
            {
                if (aggregateCount == 0)
                {
                    aggregateLength = _headerSize;
                    firstInAggregate = nal;
                }

                BinaryPrimitives.WriteUInt16BigEndian(PayloadBuffer[aggregateLength..], (ushort)nal.Length);
                nal.CopyTo(PayloadBuffer[(aggregateLength + 2)..]);
                aggregateLength += 2 + nal.Length;
                aggregateCount++;
                continue;
            }

            if (aggregateCount > 0)
            {
                FlushAggregate(firstInAggregate, aggregateCount, aggregateLength, timestamp, onPacket);
                aggregateCount = 0;
                aggregateLength = 0;
            }

            if (nal.Length <= MaxPayloadSize)
            {
                nal.CopyTo(PayloadBuffer);
                Send(nal.Length, last, timestamp, onPacket);
            }
            else
            {
                Fragment(nal, last, timestamp, onPacket);
            }
        }

        if (aggregateCount > 0)
        {
            FlushAggregate(firstInAggregate, aggregateCount, aggregateLength, timestamp, onPacket);
        }

        return (int)(Packets - before);
    }

    /// <summary>
    /// Writes the aggregation packet's payload header into <paramref name="payload"/>, whose
    /// <paramref name="units"/> (16-bit size + NAL unit, repeated) follow the header.
    /// </summary>
    private protected abstract void WriteAggregationHeader(ReadOnlySpan<byte> units, Span<byte> payload);

    /// <summary>Steps through aggregated units (16-bit size + NAL unit), giving each unit's first two header bytes.</summary>
    private protected static bool NextUnit(ref ReadOnlySpan<byte> units, out byte first, out byte second)
    {
        first = second = 0;
        if (units.Length < 4)
        {
            return false;
        }

        var size = BinaryPrimitives.ReadUInt16BigEndian(units);
        first = units[2];
        second = units[3];
        units = units[Math.Min(units.Length, 2 + size)..];
        return true;
    }

    /// <summary>Writes the FU indicator/payload header and FU header; returns their size.</summary>
    private protected abstract int WriteFragmentHeader(ReadOnlySpan<byte> nal, bool start, bool end, Span<byte> destination);

    private void FlushAggregate(ReadOnlySpan<byte> firstNal, int count, int length, uint timestamp,
        RtpPacketHandler onPacket)
    {
        if (count == 1)
        {
            // A lone unit goes as a single NAL unit packet: shift it over the aggregation header and size.
            PayloadBuffer.Slice(_headerSize + 2, firstNal.Length).CopyTo(PayloadBuffer);
            Send(firstNal.Length, false, timestamp, onPacket);
            return;
        }

        WriteAggregationHeader(PayloadBuffer[_headerSize..length], PayloadBuffer);
        Send(length, false, timestamp, onPacket);
    }

    private void Fragment(ReadOnlySpan<byte> nal, bool lastNal, uint timestamp, RtpPacketHandler onPacket)
    {
        var body = nal[_headerSize..];
        var start = true;
        while (body.Length > 0)
        {
            var room = MaxPayloadSize - _headerSize - 1;
            var chunk = Math.Min(room, body.Length);
            var end = chunk == body.Length;
            var header = WriteFragmentHeader(nal, start, end, PayloadBuffer);
            body[..chunk].CopyTo(PayloadBuffer[header..]);
            Send(header + chunk, end && lastNal, timestamp, onPacket);
            body = body[chunk..];
            start = false;
        }
    }
}
