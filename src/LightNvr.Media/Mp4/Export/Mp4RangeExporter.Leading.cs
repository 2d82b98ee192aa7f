using System.Buffers.Binary;
using LightNvr.Media.Codecs.H265;
using LightNvr.Media.Mp4.Reading;

namespace LightNvr.Media.Mp4.Export;

public static partial class Mp4RangeExporter
{
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
        if (FirstVclType(file, track.Samples[cutSample], buffer) != (int)H265NalUnitType.CraNut)
        {
            return skipped;
        }

        for (var i = cutSample + 1; i < track.Samples.Count; i++)
        {
            var type = FirstVclType(file, track.Samples[i], buffer);
            if (type is not ((int)H265NalUnitType.RaslN or (int)H265NalUnitType.RaslR))
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
