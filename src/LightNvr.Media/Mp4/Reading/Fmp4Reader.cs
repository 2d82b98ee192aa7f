using System.Buffers;
using System.Buffers.Binary;
using LightNvr.Media.Mp4.Boxes;

namespace LightNvr.Media.Mp4.Reading;

/// <summary>
/// Reads a fragmented MP4 (ours, and tolerably other muxers'): the moov's tracks and, by walking each
/// moof/traf/trun (ISO/IEC 14496-12 §8.8), the sample index of every track. Streams over the file: only one
/// moov or moof is in memory at a time (a pooled buffer); mdat payloads are skipped by seeking, never read.
/// Progressive (non-fragmented) MP4 sample tables are not indexed: such a file yields tracks without samples.
/// </summary>
public static partial class Fmp4Reader
{
    /// <summary>Largest moov or moof read into memory: 16 MiB (ours are a few KiB; a 1 s moof of 300 fps is ~5 KiB).</summary>
    public const int MaxMetadataBoxSize = 16 << 20;

    public static Fmp4Index Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096,
            FileOptions.SequentialScan);
        return Read(stream);
    }

    /// <summary>Indexes a seekable stream from its current start (position 0).</summary>
    public static Fmp4Index Read(Stream stream)
    {
        var index = new Fmp4Index { FileLength = stream.Length };
        var staged = new List<(Mp4TrackInfo Track, Mp4Sample Sample)>();
        Span<byte> header = stackalloc byte[16];
        long pos = 0;
        var length = stream.Length;
        var pendingMoof = -1L;
        var pendingSequence = 0u;
        while (pos + 8 <= length)
        {
            stream.Position = pos;
            stream.ReadExactly(header[..8]);
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
            var headerSize = 8;
            if (size == 1)
            {
                if (pos + 16 > length)
                {
                    break;
                }

                stream.ReadExactly(header[8..16]);
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(header[8..]);
                headerSize = 16;
            }
            else if (size == 0)
            {
                size = length - pos; // "extends to the end of the file"
            }

            if (size < headerSize || pos + size > length)
            {
                index.Problem = $"{FourCc.ToString(type)} box at {pos} cut short or invalid (size {size})";
                break;
            }

            if (type == FourCc.Moov || type == FourCc.Moof)
            {
                if (size > MaxMetadataBoxSize)
                {
                    index.Problem = $"{FourCc.ToString(type)} at {pos} larger than {MaxMetadataBoxSize}";
                    break;
                }

                var bodyLength = (int)(size - headerSize);
                var buffer = ArrayPool<byte>.Shared.Rent(bodyLength);
                try
                {
                    stream.ReadExactly(buffer, 0, bodyLength);
                    var body = buffer.AsSpan(0, bodyLength);
                    if (type == FourCc.Moov)
                    {
                        ParseMovie(body, index);
                        index.InitSegmentEnd = pos + size;
                        index.CompleteLength = pos + size;
                    }
                    else
                    {
                        staged.Clear();
                        if (!ParseFragment(body, pos, index, staged, out pendingSequence))
                        {
                            index.Problem = $"moof at {pos} malformed";
                            break;
                        }

                        pendingMoof = pos;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            else if (type == FourCc.Mdat && pendingMoof >= 0)
            {
                // A trun's data offset and sizes come from the file: samples outside this mdat would make readers of
                // the index (playback, export) read past the file or allocate what a corrupt size says.
                if (staged.Exists(s => s.Sample.Size < 0 || s.Sample.Offset < pos + headerSize ||
                                       s.Sample.Offset + s.Sample.Size > pos + size))
                {
                    index.Problem = $"moof at {pendingMoof} has samples outside the mdat at {pos}";
                    break;
                }

                foreach (var (track, sample) in staged)
                {
                    track.Samples.Add(sample);
                    track.NextDts = sample.Dts + sample.Duration;
                }

                index.Fragments.Add(new Fmp4Fragment(pendingMoof, pos, pos + size, pendingSequence));
                index.CompleteLength = pos + size;
                staged.Clear();
                pendingMoof = -1;
            }
            else if (!IsPrintable(type) || (headerSize == 8 && size == length - pos && type != FourCc.Mdat
                && BinaryPrimitives.ReadUInt32BigEndian(header) == 0))
            {
                // Zeros or noise where a box should start: what a power cut leaves after the last written block.
                index.Problem = $"garbage at {pos}";
                break;
            }
            else if (pendingMoof < 0 && index.InitSegmentEnd > 0)
            {
                index.CompleteLength = pos + size;
            }

            pos += size;
        }

        if (pos < length && index.Problem is null)
        {
            index.Problem = $"{length - pos} trailing bytes at {pos}";
        }

        return index;
    }

    private static bool IsPrintable(uint type)
    {
        for (var shift = 0; shift < 32; shift += 8)
        {
            var c = (byte)(type >> shift);
            if (c is < 0x20 or > 0x7E)
            {
                return false;
            }
        }

        return true;
    }
}
