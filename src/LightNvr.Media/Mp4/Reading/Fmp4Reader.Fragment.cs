using System.Buffers.Binary;
using LightNvr.Media.Mp4.Boxes;

namespace LightNvr.Media.Mp4.Reading;

public static partial class Fmp4Reader
{
    /// <summary>
    /// Samples one trun may declare: 2^20 (an hour of 300 fps video). Bounds the index a hostile file with all-default
    /// sample fields (no per-sample bytes to check the count against) could make us build.
    /// </summary>
    public const int MaxSamplesPerRun = 1 << 20;

    private static bool ParseFragment(ReadOnlySpan<byte> moof, long moofOffset, Fmp4Index index,
        List<(Mp4TrackInfo Track, Mp4Sample Sample)> staged, out uint sequence)
    {
        sequence = 0;
        var fragmentIndex = index.Fragments.Count;
        var previousTrafEnd = moofOffset;
        var it = new BoxIterator(moof);
        while (it.MoveNext())
        {
            if (it.Type == FourCc.Mfhd && it.Body.Length >= 8)
            {
                sequence = BinaryPrimitives.ReadUInt32BigEndian(it.Body[4..]);
            }

            if (it.Type != FourCc.Traf)
            {
                continue;
            }

            if (!ParseTrackFragment(it.Body, moofOffset, ref previousTrafEnd, fragmentIndex, index, staged))
            {
                return false;
            }
        }

        return !it.Malformed;
    }

    private static bool ParseTrackFragment(ReadOnlySpan<byte> traf, long moofOffset, ref long previousTrafEnd,
        int fragmentIndex, Fmp4Index index, List<(Mp4TrackInfo Track, Mp4Sample Sample)> staged)
    {
        if (!BoxIterator.TryFind(traf, FourCc.Tfhd, out var tfhd) || tfhd.Length < 8)
        {
            return false;
        }

        // TrackFragmentHeaderBox §8.8.7.
        var tfhdFlags = BinaryPrimitives.ReadUInt32BigEndian(tfhd) & 0xFFFFFF;
        var track = index.FindTrack(BinaryPrimitives.ReadUInt32BigEndian(tfhd[4..]));
        if (track is null)
        {
            return true; // a track the moov did not describe: skip it
        }

        var p = 8;
        long baseOffset = (tfhdFlags & MovieFragmentBox.DefaultBaseIsMoof) != 0 ? moofOffset : previousTrafEnd;
        if ((tfhdFlags & 0x01) != 0 && tfhd.Length >= p + 8)
        {
            baseOffset = (long)BinaryPrimitives.ReadUInt64BigEndian(tfhd[p..]);
            p += 8;
        }

        p += (tfhdFlags & 0x02) != 0 ? 4 : 0;
        var defaultDuration = ReadIf(tfhd, tfhdFlags, 0x08, ref p, track.DefaultDuration);
        var defaultSize = ReadIf(tfhd, tfhdFlags, 0x10, ref p, track.DefaultSize);
        var defaultFlags = ReadIf(tfhd, tfhdFlags, MovieFragmentBox.DefaultSampleFlagsPresent, ref p, track.DefaultFlags);

        // TrackFragmentBaseMediaDecodeTimeBox §8.8.12; without it the track continues where it ended.
        var dts = track.NextDts;
        foreach (var (t, s) in staged)
        {
            if (t == track)
            {
                dts = s.Dts + s.Duration;
            }
        }

        if (BoxIterator.TryFind(traf, FourCc.Tfdt, out var tfdt) && tfdt.Length >= 8)
        {
            dts = tfdt[0] == 1 && tfdt.Length >= 12
                ? (long)BinaryPrimitives.ReadUInt64BigEndian(tfdt[4..])
                : BinaryPrimitives.ReadUInt32BigEndian(tfdt[4..]);
        }

        var dataPos = baseOffset;
        var runs = new BoxIterator(traf);
        while (runs.MoveNext())
        {
            if (runs.Type != FourCc.Trun)
            {
                continue;
            }

            // TrackRunBox §8.8.8.
            var trun = runs.Body;
            if (trun.Length < 8)
            {
                return false;
            }

            var version = trun[0];
            var flags = BinaryPrimitives.ReadUInt32BigEndian(trun) & 0xFFFFFF;
            var count = BinaryPrimitives.ReadUInt32BigEndian(trun[4..]);
            var q = 8;
            if ((flags & MovieFragmentBox.TrunDataOffsetPresent) != 0)
            {
                if (trun.Length < q + 4)
                {
                    return false;
                }

                dataPos = baseOffset + BinaryPrimitives.ReadInt32BigEndian(trun[q..]);
                q += 4;
            }

            var firstFlags = ReadIf(trun, flags, MovieFragmentBox.TrunFirstSampleFlagsPresent, ref q, defaultFlags);
            var perSample = (((flags & 0x100) != 0) ? 4 : 0) + (((flags & 0x200) != 0) ? 4 : 0)
                + (((flags & 0x400) != 0) ? 4 : 0) + (((flags & 0x800) != 0) ? 4 : 0);
            if ((perSample > 0 && count > (uint)((trun.Length - q) / perSample)) || count > MaxSamplesPerRun)
            {
                return false;
            }

            for (var i = 0u; i < count; i++)
            {
                var duration = ReadIf(trun, flags, MovieFragmentBox.TrunSampleDurationPresent, ref q, defaultDuration);
                var size = ReadIf(trun, flags, MovieFragmentBox.TrunSampleSizePresent, ref q, defaultSize);
                var sampleFlags = ReadIf(trun, flags, MovieFragmentBox.TrunSampleFlagsPresent, ref q,
                    i == 0 ? firstFlags : defaultFlags);
                var cto = ReadIf(trun, flags, MovieFragmentBox.TrunSampleCompositionTimeOffsetsPresent, ref q, 0);
                var offset = version == 0 ? (int)Math.Min(cto, int.MaxValue) : (int)cto;
                var sync = (sampleFlags & 0x00010000) == 0;
                if (size > int.MaxValue)
                {
                    return false;
                }

                staged.Add((track, new Mp4Sample(dataPos, (int)size, dts, offset, duration, sync, fragmentIndex)));
                dataPos += size;
                dts += duration;
            }
        }

        previousTrafEnd = dataPos;
        return true;
    }

    private static uint ReadIf(ReadOnlySpan<byte> box, uint flags, uint flag, ref int pos, uint fallback)
    {
        if ((flags & flag) == 0 || pos + 4 > box.Length)
        {
            return fallback;
        }

        var value = BinaryPrimitives.ReadUInt32BigEndian(box[pos..]);
        pos += 4;
        return value;
    }
}
