using System.Buffers.Binary;

namespace LightNvr.Media.Mp4.Boxes;

/// <summary>
/// Writes ISO BMFF boxes (ISO/IEC 14496-12 §4.2) big-endian into a span whose size the caller computed first
/// (every box type here has a matching <c>GetSize</c>). <see cref="BeginBox(uint)"/>/<see cref="EndBox"/> patch the
/// 32-bit size field, and <see cref="EndBox"/> is checked against the span so a size miscalculation fails loudly in
/// tests instead of producing a corrupt file.
/// </summary>
public ref struct BoxWriter
{
    /// <summary>Nesting depth of boxes we write (moov/trak/mdia/minf/stbl/stsd/avc1/avcC is 8 deep).</summary>
    public const int MaxDepth = 12;

    private readonly Span<byte> _buffer;
    private int _position;
    private int _depth;
    private BoxStarts _starts;

    public BoxWriter(Span<byte> buffer)
    {
        _buffer = buffer;
    }

    public readonly int Position => _position;

    public void BeginBox(uint type)
    {
        if (_depth == MaxDepth)
        {
            throw new InvalidOperationException("Boxes nested deeper than " + MaxDepth);
        }

        _starts[_depth++] = _position;
        WriteUInt32(0);
        WriteUInt32(type);
    }

    /// <summary>Starts a FullBox (§4.2): a box followed by version (8 bits) and flags (24 bits).</summary>
    public void BeginFullBox(uint type, byte version, uint flags)
    {
        BeginBox(type);
        WriteUInt32(((uint)version << 24) | (flags & 0xFFFFFF));
    }

    public void EndBox()
    {
        var start = _starts[--_depth];
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[start..], (uint)(_position - start));
    }

    public void WriteByte(byte value) => _buffer[_position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[_position..], value);
        _position += 2;
    }

    public void WriteUInt24(uint value)
    {
        _buffer[_position] = (byte)(value >> 16);
        _buffer[_position + 1] = (byte)(value >> 8);
        _buffer[_position + 2] = (byte)value;
        _position += 3;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[_position..], value);
        _position += 4;
    }

    public void WriteInt32(int value) => WriteUInt32((uint)value);

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_buffer[_position..], value);
        _position += 8;
    }

    public void WriteZeros(int count)
    {
        _buffer.Slice(_position, count).Clear();
        _position += count;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer[_position..]);
        _position += bytes.Length;
    }

    /// <summary>The 3×3 unity transformation matrix of mvhd/tkhd (§8.2.2.3).</summary>
    public void WriteUnityMatrix()
    {
        WriteUInt32(0x00010000);
        WriteZeros(12);
        WriteUInt32(0x00010000);
        WriteZeros(12);
        WriteUInt32(0x40000000);
    }

    [System.Runtime.CompilerServices.InlineArray(MaxDepth)]
    private struct BoxStarts
    {
        private int _element0;
    }
}
