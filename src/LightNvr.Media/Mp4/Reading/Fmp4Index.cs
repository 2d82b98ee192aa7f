namespace LightNvr.Media.Mp4.Reading;

/// <summary>What <see cref="Fmp4Reader"/> found in a file: tracks with their sample index, and the fragments.</summary>
public sealed class Fmp4Index
{
    public List<Mp4TrackInfo> Tracks { get; } = [];

    public List<Fmp4Fragment> Fragments { get; } = [];

    public long FileLength { get; internal set; }

    /// <summary>End of the moov box (the init segment is bytes [0, InitSegmentEnd)); 0 when no complete moov.</summary>
    public long InitSegmentEnd { get; internal set; }

    /// <summary>
    /// End of the last complete unit: the moov, a moof with all of its mdat, or another complete top-level box after
    /// them. Bytes past it belong to a box cut short (a crash while writing) or are garbage.
    /// </summary>
    public long CompleteLength { get; internal set; }

    /// <summary>Why scanning stopped before the end of the file, or null.</summary>
    public string? Problem { get; internal set; }

    public Mp4TrackInfo? FindTrack(uint trackId)
    {
        foreach (var t in Tracks)
        {
            if (t.TrackId == trackId)
            {
                return t;
            }
        }

        return null;
    }
}
