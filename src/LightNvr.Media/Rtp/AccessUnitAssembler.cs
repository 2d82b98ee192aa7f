using System.Buffers;
using System.Buffers.Binary;

namespace LightNvr.Media.Rtp;

/// <summary>
/// Collects the NAL units of one video access unit in the AVCC/HVCC layout (each NAL prefixed by its 4-byte
/// big-endian length, ISO/IEC 14496-15 §5.3.3), with fragmentation units reassembled in place. Sizes are bounded;
/// the buffer is pooled and reused, and <see cref="ToArray"/> gives the frame its own exact-size copy (frames are
/// immutable and shared by every consumer, so they must not alias the reused buffer).
/// </summary>
internal sealed class AccessUnitAssembler
{
    /// <summary>Largest access unit kept: 8 MiB, as mediacommon's h264.MaxAccessUnitSize; a 4K I-frame is ~1–2 MiB.</summary>
    public const int MaxAccessUnitBytes = 8 * 1024 * 1024;

    /// <summary>NAL units per access unit: cameras slice a picture into at most a few dozen; mediacommon allows 25+.</summary>
    public const int MaxNalUnits = 256;

    private const int InitialCapacity = 64 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialCapacity);
    private int _length;
    private int _fragmentStart = -1;

    public int NalCount { get; private set; }

    public int Length => _length;

    public bool InFragment => _fragmentStart >= 0;

    /// <summary>Appends a whole NAL unit; false (nothing written) when a limit would be exceeded.</summary>
    public bool TryAdd(ReadOnlySpan<byte> nal)
    {
        if (nal.Length == 0 || NalCount >= MaxNalUnits || !Ensure(4 + nal.Length))
        {
            return false;
        }

        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), nal.Length);
        nal.CopyTo(_buffer.AsSpan(_length + 4));
        _length += 4 + nal.Length;
        NalCount++;
        return true;
    }

    /// <summary>Starts a fragmented NAL unit with its reconstructed NAL header.</summary>
    public bool TryBeginFragment(ReadOnlySpan<byte> nalHeader)
    {
        AbortFragment();
        if (NalCount >= MaxNalUnits || !Ensure(4 + nalHeader.Length))
        {
            return false;
        }

        _fragmentStart = _length;
        nalHeader.CopyTo(_buffer.AsSpan(_length + 4));
        _length += 4 + nalHeader.Length;
        return true;
    }

    public bool TryAppendFragment(ReadOnlySpan<byte> data)
    {
        if (!InFragment || !Ensure(data.Length))
        {
            AbortFragment();
            return false;
        }

        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
        return true;
    }

    /// <summary>Closes the fragmented NAL unit and returns it (valid until the next change).</summary>
    public ReadOnlySpan<byte> EndFragment()
    {
        if (!InFragment)
        {
            return default;
        }

        var nalLength = _length - _fragmentStart - 4;
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_fragmentStart), nalLength);
        var nal = _buffer.AsSpan(_fragmentStart + 4, nalLength);
        _fragmentStart = -1;
        NalCount++;
        return nal;
    }

    /// <summary>Drops a fragmented NAL unit in progress (a lost packet or a new start).</summary>
    public void AbortFragment()
    {
        if (InFragment)
        {
            _length = _fragmentStart;
            _fragmentStart = -1;
        }
    }

    /// <summary>Removes the last complete NAL unit of <paramref name="nalLength"/> bytes (e.g. a reassembled filler).</summary>
    public void RemoveLast(int nalLength)
    {
        _length -= 4 + nalLength;
        NalCount--;
    }

    public byte[] ToArray()
    {
        AbortFragment();
        return _buffer.AsSpan(0, _length).ToArray();
    }

    public void Clear()
    {
        _length = 0;
        _fragmentStart = -1;
        NalCount = 0;
        if (_buffer.Length > InitialCapacity * 4)
        {
            // Give back a buffer grown by one huge I-frame; memory per camera matters more than one re-grow.
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(InitialCapacity);
        }
    }

    private bool Ensure(int extra)
    {
        var needed = (long)_length + extra;
        if (needed > MaxAccessUnitBytes)
        {
            return false;
        }

        if (needed > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(MaxAccessUnitBytes, Math.Max(needed, _buffer.Length * 2L)));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        return true;
    }
}
