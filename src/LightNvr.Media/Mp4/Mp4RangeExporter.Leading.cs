using System.Buffers.Binary;

namespace LightNvr.Media.Mp4;

public static partial class Mp4RangeExporter
{
    /// <summary>H.265 NAL unit types (ITU-T H.265 Table 7-1): RASL_N, RASL_R and CRA_NUT.</summary>
    private const int RaslN = 8;
    private const int RaslR = 9;
    private const int Cra = 21;

    /// <summary>Reads at most this much of a sample to find its first VCL NAL unit (SEI/AUD come first, and are small).</summary>
    private const int MaxSampleHeadBytes = 4096;

    /// <summary>
    /// When an H.265 cut lands on a CRA picture (open GOP), the RASL pictures that follow it in decode order reference
    /// the GOP before the cut and cannot be decoded (H.265 §8.1.3: a decoder skips them). Returns their sample indices
    /// so the export leaves them out instead of shipping pictures no player shows.
    /// </summary>
    private static HashSet<int> FindUndecodableLeadingPictures(Mp4ExportSource source, Mp4TrackInfo track, int cutSample)
    {
        var skipped = new HashSet<int>();
        if (track.Track.Codec != MediaCodec.H265 || cutSample < 0)
        {
            return skipped;
        }

        using var file = new FileStream(source.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        var buffer = new byte[MaxSampleHeadBytes];
        if (FirstVclType(file, track.Samples[cutSample], buffer) != Cra)
        {
            return skipped;
        }

        for (var i = cutSample + 1; i < track.Samples.Count; i++)
        {
            var type = FirstVclType(file, track.Samples[i], buffer);
            if (type is not (RaslN or RaslR))
            {
                break;
            }

            skipped.Add(i);
        }

        return skipped;
    }

    private static int FirstVclType(FileStream file, Mp4Sample sample, byte[] buffer)
    {
        var length = Math.Min(buffer.Length, sample.Size);
        file.Position = sample.Offset;
        file.ReadExactly(buffer, 0, length);
        var pos = 0;
        while (pos + 5 <= length)
        {
            var nalLength = BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(pos));
            var type = (buffer[pos + 4] >> 1) & 0x3F;
            if (type < 32)
            {
                return type;
            }

            if (nalLength > (uint)(sample.Size - pos - 4))
            {
                break;
            }

            pos += 4 + (int)nalLength;
        }

        return -1;
    }
}
