namespace LightNvr.Detection.Objects.Api;

/// <summary>The byte and bit output of <see cref="JpegEncoder"/>: markers, segments, and the entropy-coded data with
/// T.81 §F.1.2.3 byte stuffing (0xFF is followed by 0x00) and 1-bits padding the last byte (§F.1.2.3).</summary>
internal sealed class JpegBitWriter(int capacity)
{
    private readonly MemoryStream _out = new(capacity);
    private uint _bits;
    private int _count;

    public void WriteMarker(byte marker)
    {
        _out.WriteByte(0xFF);
        _out.WriteByte(marker);
    }

    /// <summary>A marker segment: marker, 16-bit length (counting itself), payload (T.81 §B.1.1.4).</summary>
    public void WriteSegment(byte marker, ReadOnlySpan<byte> payload)
    {
        WriteMarker(marker);
        var length = payload.Length + 2;
        _out.WriteByte((byte)(length >> 8));
        _out.WriteByte((byte)length);
        _out.Write(payload);
    }

    public void WriteCode(JpegHuffman table, int symbol)
    {
        var length = table.Lengths[symbol];
        if (length == 0)
        {
            throw new InvalidOperationException($"symbol 0x{symbol:X2} has no Huffman code");
        }
        WriteBits(table.Codes[symbol], length);
    }

    public void WriteBits(int value, int length)
    {
        if (length == 0)
        {
            return;
        }
        _bits = (_bits << length) | ((uint)value & ((1u << length) - 1));
        _count += length;
        while (_count >= 8)
        {
            var b = (byte)(_bits >> (_count - 8));
            _out.WriteByte(b);
            if (b == 0xFF)
            {
                _out.WriteByte(0x00);
            }
            _count -= 8;
        }
        _bits &= (1u << _count) - 1;
    }

    /// <summary>Pads the last partial byte with 1-bits.</summary>
    public void Flush()
    {
        if (_count > 0)
        {
            WriteBits((1 << (8 - _count)) - 1, 8 - _count);
        }
    }

    public byte[] ToArray() => _out.ToArray();
}
