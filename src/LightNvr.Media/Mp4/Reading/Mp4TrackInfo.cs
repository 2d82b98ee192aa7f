namespace LightNvr.Media.Mp4.Reading;

/// <summary>A track of a file read by <see cref="Fmp4Reader"/>: its description and its sample index.</summary>
public sealed class Mp4TrackInfo
{
    internal Mp4TrackInfo(uint trackId, uint timescale, MediaTrack track)
    {
        TrackId = trackId;
        Timescale = timescale;
        Track = track;
    }

    /// <summary>track_ID of tkhd/tfhd.</summary>
    public uint TrackId { get; }

    /// <summary>mdhd timescale: units of <see cref="Mp4Sample.Dts"/> per second.</summary>
    public uint Timescale { get; }

    /// <summary>
    /// The track as a <see cref="MediaTrack"/> (codec, parameter sets, size or sample rate; Id = position in moov).
    /// <see cref="MediaCodec.Unknown"/> for sample entries this library does not know.
    /// </summary>
    public MediaTrack Track { get; internal set; }

    /// <summary>The sample entry code, e.g. avc1, hev1, mp4a.</summary>
    public uint SampleEntryType { get; internal set; }

    internal uint DefaultDuration { get; set; }
    internal uint DefaultSize { get; set; }
    internal uint DefaultFlags { get; set; }
    internal long NextDts { get; set; }

    public List<Mp4Sample> Samples { get; } = [];

    /// <summary>Sum of the sample durations, in <see cref="Timescale"/> units.</summary>
    public long Duration
    {
        get
        {
            long total = 0;
            foreach (var s in Samples)
            {
                total += s.Duration;
            }

            return total;
        }
    }
}
