using LightNvr.Media.Codecs;

namespace LightNvr.Media.Rtp;

/// <summary>
/// Access-unit assembly shared by H.264 and H.265: an access unit ends at the marker bit (RFC 6184 §5.1,
/// RFC 7798 §4.1) or when the timestamp changes (cameras that never set the marker). After a loss the frame in
/// progress is dropped, and so is the next one unless it visibly starts a picture. An access unit with parameter
/// sets but no picture (some cameras send SPS/PPS with their own timestamp) is carried into the next one.
/// </summary>
public abstract class VideoDepacketizer : RtpDepacketizer
{
    private readonly AccessUnitAssembler _au = new();
    private readonly DtsExtractor _dts = new();
    private bool _open;
    private long _pts;
    private bool _damaged;
    private bool _lossBeforeNext;
    private bool _hasPicture;
    private bool _isKey;
    private long _measuredFrames;
    private long _firstDts;
    private long _lastDts;

    protected VideoDepacketizer(RtpPayloadFormat format, MediaTrack track, TimeProvider clock, Action<MediaFrame> onFrame)
        : base(format, track, clock, onFrame)
    {
    }

    /// <summary>
    /// Frames per second measured from the DTS of the frames emitted so far (0 before two frames); losses lower it
    /// slightly. H.264 streams also state it in the SPS VUI (<see cref="Codecs.H264.H264SequenceParameterSet.FrameRate"/>).
    /// </summary>
    public double FrameRate =>
        _measuredFrames > 1 && _lastDts > _firstDts ? (_measuredFrames - 1) * (double)Track.ClockRate / (_lastDts - _firstDts) : 0;

    protected DtsExtractor Dts => _dts;

    protected override long ExtraDtsCorrections => _dts.Corrections;

    protected sealed override void OnPacket(in RtpPacket packet, long timestamp)
    {
        var payload = packet.Payload;
        var lossBefore = _lossBeforeNext;
        _lossBeforeNext = false;
        if (lossBefore && _open)
        {
            _damaged = true; // the open access unit never saw its marker: its tail may be what was lost
        }

        if (_open && timestamp != _pts)
        {
            FinishAccessUnit();
        }

        if (!_open)
        {
            _open = true;
            _pts = timestamp;
            if (lossBefore && !StartsAccessUnit(payload))
            {
                _damaged = true; // a new access unit whose first packets were lost
            }
        }

        if (!Depacketize(payload, _au))
        {
            CountMalformed();
            _damaged = true;
        }

        if (packet.Marker)
        {
            FinishAccessUnit();
        }
    }

    protected sealed override void OnDiscontinuity(int count)
    {
        _au.AbortFragment();
        _lossBeforeNext = true;
    }

    /// <summary>Adds the payload's NAL units to <paramref name="au"/>; false when the payload is malformed.</summary>
    private protected abstract bool Depacketize(ReadOnlySpan<byte> payload, AccessUnitAssembler au);

    /// <summary>True when the payload's first NAL unit begins a picture (parameter set, SEI, AUD, or first slice).</summary>
    protected abstract bool StartsAccessUnit(ReadOnlySpan<byte> payload);

    /// <summary>
    /// Called for every complete NAL unit; returns false to leave it out of the frame (AUD, filler).
    /// Sets picture/keyframe flags through <see cref="MarkPicture"/>.
    /// </summary>
    protected abstract bool OnNalUnit(ReadOnlySpan<byte> nal);

    /// <summary>Builds the new track when parameter sets seen in this access unit differ from <see cref="RtpDepacketizer.Track"/>; else null.</summary>
    protected abstract MediaTrack? TakeTrackUpdate();

    /// <summary>
    /// The NAL unit contradicts its own type (an IDR slice that is not intra): counted as malformed, and its access unit
    /// is dropped like one damaged on the wire.
    /// </summary>
    protected void MarkMalformed()
    {
        CountMalformed();
        _damaged = true;
    }

    protected void MarkPicture(bool isKey)
    {
        _hasPicture = true;
        _isKey |= isKey;
    }

    /// <summary>Runs <see cref="OnNalUnit"/> on a whole NAL unit and adds it when kept.</summary>
    private protected bool AddNal(AccessUnitAssembler au, ReadOnlySpan<byte> nal)
    {
        if (nal.Length == 0)
        {
            return false;
        }

        return !OnNalUnit(nal) || au.TryAdd(nal);
    }

    /// <summary>Closes a fragmented NAL unit and runs <see cref="OnNalUnit"/> on it.</summary>
    private protected void EndFragment(AccessUnitAssembler au)
    {
        var nal = au.EndFragment();
        if (!nal.IsEmpty && !OnNalUnit(nal))
        {
            au.RemoveLast(nal.Length);
        }
    }

    private void FinishAccessUnit()
    {
        _open = false;
        if (_damaged || _au.InFragment)
        {
            CountDroppedFrame();
            Reset();
            return;
        }

        if (!_hasPicture)
        {
            // Parameter sets alone: keep them for the picture that follows (bounded by the assembler's limits).
            return;
        }

        var update = TakeTrackUpdate();
        if (update is not null)
        {
            ChangeTrack(update);
        }

        var data = _au.ToArray();
        _dts.Extract(_pts, out var dts, out var pts);
        var offset = pts - dts;
        _firstDts = _measuredFrames++ == 0 ? dts : _firstDts;
        _lastDts = dts;
        EmitFrame(_pts, dts, (int)Math.Min(offset, int.MaxValue), _isKey, data);
        Reset();
    }

    private void Reset()
    {
        _au.Clear();
        _damaged = false;
        _hasPicture = false;
        _isKey = false;
    }
}
