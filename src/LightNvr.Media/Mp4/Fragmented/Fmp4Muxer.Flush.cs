using System.Buffers;
using LightNvr.Media.Mp4.Boxes;

namespace LightNvr.Media.Mp4.Fragmented;

public sealed partial class Fmp4Muxer
{
    /// <summary>
    /// Writes one fragment (moof+mdat) with every completed sample; with <paramref name="final"/>, the held frames too.
    /// Returns the bytes written, 0 when there was nothing to write.
    /// </summary>
    public int FlushFragment(IBufferWriter<byte> output, bool final = false)
    {
        var size = PrepareFragment(final);
        if (size == 0)
        {
            return 0;
        }

        var span = output.GetSpan(size)[..size];
        WriteFragment(span);
        output.Advance(size);
        return size;
    }

    /// <inheritdoc cref="FlushFragment(IBufferWriter{byte}, bool)"/>
    public int FlushFragment(Stream output, bool final = false)
    {
        var size = PrepareFragment(final);
        if (size == 0)
        {
            return 0;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            WriteFragment(buffer.AsSpan(0, size));
            output.Write(buffer, 0, size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return size;
    }

    private int PrepareFragment(bool final)
    {
        long size = 0;
        var count = 0;
        for (var i = 0; i < _tracks.Length; i++)
        {
            var t = _tracks[i];
            if (final)
            {
                t.CompleteHeld();
            }

            if (t.Count == 0)
            {
                continue;
            }

            _runs[count] = t.GetRun();
            size += _runs[count].DataSize;
            count++;
        }

        _runCount = count;
        if (count == 0)
        {
            return 0;
        }

        size += MovieFragmentBox.GetSize(_runs.AsSpan(0, count)) + MovieFragmentBox.MediaDataHeaderSize;
        return checked((int)size);
    }

    private void WriteFragment(Span<byte> destination)
    {
        LastFragment = _tracks[_primary].Describe(_sequence, destination.Length);
        var pos = MovieFragmentBox.WriteTo(destination, _sequence++, _runs.AsSpan(0, _runCount));
        foreach (var t in _tracks)
        {
            if (t.Count > 0)
            {
                pos += t.WriteSampleData(destination[pos..]);
                t.Clear();
            }
        }

        FragmentCount++;
    }
}
