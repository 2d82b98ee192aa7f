namespace LightNvr.Media.Mp4.Boxes;

/// <summary>
/// What one <c>traf</c> (ISO/IEC 14496-12 §8.8.6) says about one track in one fragment: its samples, in decode order,
/// whose data lie back to back in the fragment's <c>mdat</c>.
/// </summary>
public readonly struct TrackFragment
{
    public TrackFragment(uint trackId, ulong baseMediaDecodeTime, ArraySegment<FragmentSample> samples, bool isVideo)
    {
        TrackId = trackId;
        BaseMediaDecodeTime = baseMediaDecodeTime;
        Samples = samples;
        IsVideo = isVideo;
    }

    public uint TrackId { get; }

    public ulong BaseMediaDecodeTime { get; }

    public ArraySegment<FragmentSample> Samples { get; }

    /// <summary>Video runs carry per-sample flags; audio runs use one default (every sample sync).</summary>
    public bool IsVideo { get; }

    public bool HasCompositionOffsets
    {
        get
        {
            foreach (var s in Samples.AsSpan())
            {
                if (s.CompositionOffset != 0)
                {
                    return true;
                }
            }

            return false;
        }
    }

    public long DataSize
    {
        get
        {
            long total = 0;
            foreach (var s in Samples.AsSpan())
            {
                total += s.Size;
            }

            return total;
        }
    }
}
