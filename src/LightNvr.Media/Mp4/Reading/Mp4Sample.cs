namespace LightNvr.Media.Mp4.Reading;

/// <summary>
/// One sample as indexed by <see cref="Fmp4Reader"/>: where its bytes are in the file, its decode time (track
/// timescale, from the fragment's tfdt), composition offset, duration, sync flag, and which fragment holds it.
/// </summary>
public readonly record struct Mp4Sample(long Offset, int Size, long Dts, int CompositionOffset, uint Duration,
    bool IsSync, int FragmentIndex);
