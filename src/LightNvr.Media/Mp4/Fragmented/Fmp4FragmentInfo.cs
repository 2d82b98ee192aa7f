namespace LightNvr.Media.Mp4.Fragmented;

/// <summary>
/// What the last <see cref="Fmp4Muxer.FlushFragment(System.IO.Stream, bool)"/> wrote, for HLS (EXTINF, EXT-X-PART
/// INDEPENDENT=YES) and MSE bookkeeping. Times are those of the primary track (first video track, else first track).
/// </summary>
public readonly record struct Fmp4FragmentInfo(uint SequenceNumber, int Size, TimeSpan StartTime, TimeSpan Duration,
    bool StartsWithKeyFrame);
