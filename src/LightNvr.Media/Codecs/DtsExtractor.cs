namespace LightNvr.Media.Codecs;

/// <summary>
/// Decode timestamps for video whose RTP timestamps are presentation times (RFC 6184 §5.1, RFC 7798 §4.1), without
/// look-ahead and without parsing slices. With a reorder depth R (the largest number of pictures that precede a
/// picture in decoding order and follow it in output order: H.264 max_num_reorder_frames §E.2.1, H.265
/// sps_max_num_reorder_pics §7.4.3.2.1), the DTS of the n-th picture in decoding order is the (R+1)-th largest PTS
/// among pictures 0..n — the presentation time a decoder with an R-picture output delay would be at. It is
/// non-decreasing, never above the picture's PTS, and equals PTS when R = 0. The first R pictures get
/// PTS₀ − (R − n)·frame duration, and the whole timeline is shifted so the first DTS is 0.
/// When the SPS does not state R, it starts at 0 and grows the first time a picture arrives with more earlier-decoded
/// pictures after it than R allows (that one picture's DTS is corrected, and counted).
/// </summary>
public sealed class DtsExtractor
{
    /// <summary>H.264 §A.3.1 and H.265 §A.4.2: the DPB holds at most 16 pictures, so R ≤ 16.</summary>
    public const int MaxReorderDepth = 16;

    /// <summary>Assumed frame duration (90 kHz) before the SPS gives one: 25 fps, the usual camera default.</summary>
    public const int DefaultFrameDuration = 3600;

    private readonly long[] _largest = new long[MaxReorderDepth + 1];
    private int _stored;
    private long _index;
    private long _firstPts;
    private long _shift;
    private long _lastDts;
    private bool _depthKnown;

    /// <summary>The reorder depth in use.</summary>
    public int ReorderDepth { get; private set; }

    /// <summary>Frame duration in clock units used only for the first R pictures.</summary>
    public long FrameDuration { get; set; } = DefaultFrameDuration;

    /// <summary>Pictures whose DTS had to be forced (reorder depth unknown or understated by the SPS, or equal PTS).</summary>
    public long Corrections { get; private set; }

    /// <summary>
    /// Sets the reorder depth from the SPS: <paramref name="depth"/> ≥ 0 is authoritative, −1 means unknown (learnt).
    /// Changing it mid-stream keeps the timeline: it only takes effect for later pictures.
    /// </summary>
    public void SetReorderDepth(int depth)
    {
        _depthKnown = depth >= 0;
        ReorderDepth = Math.Clamp(depth, 0, MaxReorderDepth);
    }

    /// <summary>Gives the DTS and (shifted) PTS of the next picture in decoding order.</summary>
    public void Extract(long pts, out long dts, out long shiftedPts)
    {
        var rank = Insert(pts);
        if (_index == 0)
        {
            _firstPts = pts;
            _shift = Math.Max(0, (ReorderDepth * FrameDuration) - pts);
            _lastDts = long.MinValue;
        }

        if (rank > ReorderDepth && !_depthKnown)
        {
            // More pictures decoded before this one are shown after it than R allows: the stream reorders deeper.
            ReorderDepth = Math.Min(rank, MaxReorderDepth);
        }

        long candidate;
        if (_index >= ReorderDepth && _stored > ReorderDepth)
        {
            candidate = _largest[ReorderDepth];
        }
        else
        {
            candidate = _firstPts - ((ReorderDepth - _index) * FrameDuration);
        }

        var d = Math.Min(candidate, pts);
        if (_lastDts != long.MinValue && d <= _lastDts)
        {
            d = _lastDts + 1;
            if (d > pts)
            {
                // Cannot keep DTS ≤ PTS and DTS increasing: present this picture at its DTS.
                pts = d;
                Corrections++;
            }
        }

        _lastDts = d;
        _index++;
        dts = d + _shift;
        shiftedPts = pts + _shift;
    }

    /// <summary>Keeps the largest PTS values in descending order; returns how many stored ones exceed <paramref name="pts"/>.</summary>
    private int Insert(long pts)
    {
        var rank = 0;
        while (rank < _stored && _largest[rank] > pts)
        {
            rank++;
        }

        if (rank >= _largest.Length)
        {
            return rank;
        }

        var end = Math.Min(_stored, _largest.Length - 1);
        for (var i = end; i > rank; i--)
        {
            _largest[i] = _largest[i - 1];
        }

        _largest[rank] = pts;
        _stored = Math.Min(_stored + 1, _largest.Length);
        return rank;
    }
}
