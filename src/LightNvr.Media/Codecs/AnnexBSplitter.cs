namespace LightNvr.Media.Codecs;

/// <summary>
/// Incremental Annex-B splitter for a byte stream that arrives in arbitrary chunks (an ffmpeg pipe): emits each NAL
/// unit once the next start code shows where it ends. A NAL unit larger than <see cref="MaxNalUnitBytes"/> is dropped
/// and counted; memory stays bounded whatever the input.
/// </summary>
public sealed class AnnexBSplitter
{
    /// <summary>Same bound as a whole access unit (mediacommon's 8 MiB): no single NAL unit is larger.</summary>
    public const int MaxNalUnitBytes = 8 * 1024 * 1024;

    private byte[] _buffer = new byte[4096];
    private int _length;
    private bool _inNal;
    private bool _discarding;

    /// <summary>NAL units dropped for exceeding <see cref="MaxNalUnitBytes"/>.</summary>
    public long Oversized { get; private set; }

    /// <summary>Appends bytes; calls <paramref name="onNal"/> for every NAL unit completed by them.</summary>
    public void Push(ReadOnlySpan<byte> chunk, Action<byte[]> onNal)
    {
        while (!chunk.IsEmpty)
        {
            var room = MaxNalUnitBytes + 3 - _length;
            if (room <= 0)
            {
                // Keep only the last two bytes (a start code may straddle) and drop the oversized unit.
                _buffer[0] = _buffer[_length - 2];
                _buffer[1] = _buffer[_length - 1];
                _length = 2;
                if (!_discarding)
                {
                    Oversized++;
                }

                _discarding = true;
                continue;
            }

            var take = Math.Min(room, chunk.Length);
            if (_length + take > _buffer.Length)
            {
                Array.Resize(ref _buffer, (int)Math.Min(MaxNalUnitBytes + 3L, Math.Max(_length + take, _buffer.Length * 2L)));
            }

            chunk[..take].CopyTo(_buffer.AsSpan(_length));
            var scanFrom = Math.Max(0, _length - 2);
            _length += take;
            chunk = chunk[take..];
            Split(scanFrom, onNal);
        }
    }

    /// <summary>End of stream: emits the last NAL unit.</summary>
    public void Flush(Action<byte[]> onNal)
    {
        if (_inNal && !_discarding)
        {
            Emit(_length, onNal);
        }

        _length = 0;
        _inNal = false;
        _discarding = false;
    }

    private void Split(int scanFrom, Action<byte[]> onNal)
    {
        var data = _buffer.AsSpan(0, _length);
        var consumed = 0;
        while (true)
        {
            var code = AnnexB.IndexOfStartCode(data, Math.Max(scanFrom, consumed));
            if (code < 0)
            {
                break;
            }

            if (_inNal && !_discarding)
            {
                Emit(consumed, code, onNal);
            }

            _inNal = true;
            _discarding = false;
            consumed = code + 3;
        }

        if (consumed > 0)
        {
            data[consumed..].CopyTo(_buffer);
            _length -= consumed;
        }
    }

    private void Emit(int start, int end, Action<byte[]> onNal)
    {
        while (end > start && _buffer[end - 1] == 0)
        {
            end--;
        }

        if (end > start)
        {
            onNal(_buffer.AsSpan(start, end - start).ToArray());
        }
    }

    private void Emit(int end, Action<byte[]> onNal)
    {
        while (end > 0 && _buffer[end - 1] == 0)
        {
            end--;
        }

        if (end > 0)
        {
            onNal(_buffer.AsSpan(0, end).ToArray());
        }
    }
}
