using System.Buffers.Binary;

namespace LightNvr.Media.Mp4.Boxes;

/// <summary>
/// Walks the boxes laid out back to back in a span (ISO/IEC 14496-12 §4.2: 32-bit size, or 1 then a 64-bit size, or 0
/// meaning "to the end"). Stops at the first box whose size is impossible; <see cref="Malformed"/> then tells.
/// </summary>
public ref struct BoxIterator
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public BoxIterator(ReadOnlySpan<byte> data)
    {
        _data = data;
    }

    public uint Type { get; private set; }

    /// <summary>The current box's content after its header.</summary>
    public ReadOnlySpan<byte> Body { get; private set; }

    /// <summary>Offset of the current box's first byte within the iterated span.</summary>
    public int Offset { get; private set; }

    public bool Malformed { get; private set; }

    public bool MoveNext()
    {
        if (_position + 8 > _data.Length)
        {
            Malformed = _position != _data.Length;
            return false;
        }

        var size = (long)BinaryPrimitives.ReadUInt32BigEndian(_data[_position..]);
        var type = BinaryPrimitives.ReadUInt32BigEndian(_data[(_position + 4)..]);
        var header = 8;
        if (size == 1)
        {
            if (_position + 16 > _data.Length)
            {
                Malformed = true;
                return false;
            }

            size = (long)BinaryPrimitives.ReadUInt64BigEndian(_data[(_position + 8)..]);
            header = 16;
        }
        else if (size == 0)
        {
            size = _data.Length - _position;
        }

        if (size < header || size > _data.Length - _position)
        {
            Malformed = true;
            return false;
        }

        Type = type;
        Offset = _position;
        Body = _data.Slice(_position + header, (int)size - header);
        _position += (int)size;
        return true;
    }

    /// <summary>Finds the first child of <paramref name="parent"/> with the given type.</summary>
    public static bool TryFind(ReadOnlySpan<byte> parent, uint type, out ReadOnlySpan<byte> body)
    {
        var it = new BoxIterator(parent);
        while (it.MoveNext())
        {
            if (it.Type == type)
            {
                body = it.Body;
                return true;
            }
        }

        body = default;
        return false;
    }
}
