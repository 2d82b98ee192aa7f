namespace LightNvr.Media.Mp4;

/// <summary>
/// Reads bits and exp-Golomb codes (ITU-T H.264 §9.1) from a NAL unit payload, skipping emulation-prevention bytes
/// (the 0x03 in 00 00 03, H.264 §7.4.1 / H.265 §7.4.2) on the fly, so no de-escaped copy is made.
/// </summary>
public ref struct RbspBitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _byteIndex;
    private int _bitIndex;
    private int _zeros;
    private byte _current;

    public RbspBitReader(ReadOnlySpan<byte> nalPayload)
    {
        _data = nalPayload;
        _byteIndex = -1;
        _bitIndex = 8;
    }

    public bool TryReadBit(out int bit)
    {
        if (_bitIndex == 8)
        {
            if (!TryNextByte())
            {
                bit = 0;
                return false;
            }

            _bitIndex = 0;
        }

        bit = (_current >> (7 - _bitIndex++)) & 1;
        return true;
    }

    public bool TryReadBits(int count, out ulong value)
    {
        value = 0;
        for (var i = 0; i < count; i++)
        {
            if (!TryReadBit(out var bit))
            {
                return false;
            }

            value = (value << 1) | (uint)bit;
        }

        return true;
    }

    /// <summary>ue(v); codes longer than 31 bits are rejected as malformed.</summary>
    public bool TryReadUe(out uint value)
    {
        value = 0;
        var leadingZeros = 0;
        while (true)
        {
            if (!TryReadBit(out var bit))
            {
                return false;
            }

            if (bit == 1)
            {
                break;
            }

            if (++leadingZeros > 31)
            {
                return false;
            }
        }

        if (!TryReadBits(leadingZeros, out var rest))
        {
            return false;
        }

        value = (uint)((1UL << leadingZeros) - 1 + rest);
        return true;
    }

    private bool TryNextByte()
    {
        while (true)
        {
            if (++_byteIndex >= _data.Length)
            {
                return false;
            }

            var b = _data[_byteIndex];
            if (_zeros >= 2 && b == 0x03)
            {
                _zeros = 0;
                continue;
            }

            _zeros = b == 0 ? _zeros + 1 : 0;
            _current = b;
            return true;
        }
    }
}
