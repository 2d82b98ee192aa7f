using System.Buffers.Binary;

namespace LightNvr.Media.Codecs;

/// <summary>
/// NAL units each prefixed by a 4-byte big-endian length (ISO/IEC 14496-15 §5.3.3 with lengthSizeMinusOne = 3): the
/// layout of <see cref="MediaFrame.Data"/> for video and of MP4 samples.
/// </summary>
public static class Avcc
{
    /// <summary>True when the lengths chain exactly to the end of <paramref name="data"/>, none zero.</summary>
    public static bool IsValid(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            if (data.Length < 4)
            {
                return false;
            }

            var n = BinaryPrimitives.ReadUInt32BigEndian(data);
            if (n == 0 || n > (uint)(data.Length - 4))
            {
                return false;
            }

            data = data[(4 + (int)n)..];
        }

        return true;
    }

    /// <summary>Enumerates the NAL units; stops at the first inconsistent length.</summary>
    public static NalUnitEnumerator Enumerate(ReadOnlySpan<byte> data) => new(data);

    /// <summary>Annex-B with 4-byte start codes has exactly the same size.</summary>
    public static int ToAnnexB(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var written = 0;
        foreach (var nal in Enumerate(data))
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[written..], 1);
            nal.CopyTo(destination[(written + 4)..]);
            written += 4 + nal.Length;
        }

        return written;
    }

    public ref struct NalUnitEnumerator
    {
        private ReadOnlySpan<byte> _rest;

        internal NalUnitEnumerator(ReadOnlySpan<byte> data)
        {
            _rest = data;
            Current = default;
        }

        public ReadOnlySpan<byte> Current { get; private set; }

        public readonly NalUnitEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_rest.Length < 4)
            {
                return false;
            }

            var n = BinaryPrimitives.ReadUInt32BigEndian(_rest);
            if (n == 0 || n > (uint)(_rest.Length - 4))
            {
                _rest = default;
                return false;
            }

            Current = _rest.Slice(4, (int)n);
            _rest = _rest[(4 + (int)n)..];
            return true;
        }
    }
}
