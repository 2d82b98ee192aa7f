namespace LightNvr.Media.Codecs;

/// <summary>
/// MSB-first bit reader over an RBSP (emulation prevention already removed), with the exp-Golomb codes of
/// ITU-T H.264 §9.1 / H.265 §9.2. Reading past the end never throws: it returns 0 and sets the sticky
/// <see cref="Overrun"/> flag, which parsers check once at the end (a truncated parameter set is a counted error).
/// </summary>
public ref struct BitReader
{
    /// <summary>ue(v) values with more than 31 leading zero bits do not fit 32 bits (H.264 §9.1: codeNum ≤ 2³²−2).</summary>
    private const int MaxExpGolombLeadingZeros = 31;

    private readonly ReadOnlySpan<byte> _data;
    private int _bitPosition;

    public BitReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _bitPosition = 0;
        Overrun = false;
    }

    /// <summary>True once any read went past the end of the data or an exp-Golomb code was out of range.</summary>
    public bool Overrun { get; private set; }

    public readonly int BitsLeft => Math.Max(0, (_data.Length * 8) - _bitPosition);

    public readonly int BitPosition => _bitPosition;

    public bool ReadFlag() => ReadBit() != 0;

    public uint ReadBit()
    {
        if (_bitPosition >= _data.Length * 8)
        {
            Overrun = true;
            return 0;
        }

        var bit = (uint)(_data[_bitPosition >> 3] >> (7 - (_bitPosition & 7))) & 1;
        _bitPosition++;
        return bit;
    }

    /// <summary>u(n) for n in 0..32.</summary>
    public uint ReadBits(int count)
    {
        if ((uint)count > 32)
        {
            Overrun = true;
            return 0;
        }

        if (count > BitsLeft)
        {
            Overrun = true;
            _bitPosition = _data.Length * 8;
            return 0;
        }

        ulong value = 0;
        for (var i = 0; i < count; i++)
        {
            value = (value << 1) | ((uint)(_data[_bitPosition >> 3] >> (7 - (_bitPosition & 7))) & 1);
            _bitPosition++;
        }

        return (uint)value;
    }

    public void Skip(int count)
    {
        if (count < 0 || count > BitsLeft)
        {
            Overrun = true;
            _bitPosition = _data.Length * 8;
            return;
        }

        _bitPosition += count;
    }

    /// <summary>ue(v), H.264 §9.1.</summary>
    public uint ReadUe()
    {
        var zeros = 0;
        while (ReadBit() == 0)
        {
            if (Overrun || ++zeros > MaxExpGolombLeadingZeros)
            {
                Overrun = true;
                return 0;
            }
        }

        if (zeros == 0)
        {
            return 0;
        }

        return (uint)(((1UL << zeros) - 1) + ReadBits(zeros));
    }

    /// <summary>se(v), H.264 §9.1.1: codeNum k maps to (−1)^(k+1) · Ceil(k ÷ 2).</summary>
    public int ReadSe()
    {
        var k = ReadUe();
        var magnitude = (int)((k + 1) / 2);
        return (k & 1) == 1 ? magnitude : -magnitude;
    }
}
