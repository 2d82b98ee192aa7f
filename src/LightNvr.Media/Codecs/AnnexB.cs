namespace LightNvr.Media.Codecs;

/// <summary>
/// The byte-stream format of ITU-T H.264 Annex B / H.265 Annex B: NAL units after 00 00 01 (or 00 00 00 01) start
/// codes, trailing zero bytes belonging to no NAL unit. What ffmpeg's <c>-f h264</c>/<c>-f hevc</c> writes and reads.
/// </summary>
public static class AnnexB
{
    /// <summary>Enumerates the NAL units of a complete Annex-B buffer (without start codes or trailing zeros).</summary>
    public static NalUnitEnumerator Enumerate(ReadOnlySpan<byte> data) => new(data);

    /// <summary>Size of the same NAL units in the 4-byte length-prefixed layout.</summary>
    public static int GetAvccSize(ReadOnlySpan<byte> data)
    {
        var size = 0;
        foreach (var nal in Enumerate(data))
        {
            size += 4 + nal.Length;
        }

        return size;
    }

    /// <summary>Converts to the 4-byte length-prefixed layout; returns the bytes written (<see cref="GetAvccSize"/>).</summary>
    public static int ToAvcc(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var written = 0;
        foreach (var nal in Enumerate(data))
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(destination[written..], nal.Length);
            nal.CopyTo(destination[(written + 4)..]);
            written += 4 + nal.Length;
        }

        return written;
    }

    /// <summary>Index of the next 00 00 01 at or after <paramref name="from"/>, or −1.</summary>
    public static int IndexOfStartCode(ReadOnlySpan<byte> data, int from)
    {
        for (var i = from; i + 2 < data.Length; i++)
        {
            var at = data[i..].IndexOf((byte)1);
            if (at < 0)
            {
                return -1;
            }

            i += at;
            if (i >= 2 && i - 2 >= from && data[i - 1] == 0 && data[i - 2] == 0)
            {
                return i - 2;
            }
        }

        return -1;
    }

    /// <summary>Allocation-free enumerator of Annex-B NAL units.</summary>
    public ref struct NalUnitEnumerator
    {
        private readonly ReadOnlySpan<byte> _data;
        private int _next;

        internal NalUnitEnumerator(ReadOnlySpan<byte> data)
        {
            _data = data;
            var first = IndexOfStartCode(data, 0);
            _next = first < 0 ? data.Length : first + 3;
            Current = default;
        }

        public ReadOnlySpan<byte> Current { get; private set; }

        public readonly NalUnitEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            while (_next < _data.Length)
            {
                var start = _next;
                var code = IndexOfStartCode(_data, start);
                var end = code < 0 ? _data.Length : code;
                _next = code < 0 ? _data.Length : code + 3;
                while (end > start && _data[end - 1] == 0)
                {
                    end--; // trailing_zero_8bits and the leading zero of a 4-byte start code
                }

                if (end > start)
                {
                    Current = _data[start..end];
                    return true;
                }
            }

            return false;
        }
    }
}
