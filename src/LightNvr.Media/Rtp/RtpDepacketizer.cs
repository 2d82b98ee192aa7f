namespace LightNvr.Media.Rtp;

/// <summary>
/// Turns one track's RTP packets into <see cref="MediaFrame"/>s. The base class owns what every payload format
/// shares: RTP header parsing (RFC 3550 §5.1), reordering and loss (<see cref="RtpReorderBuffer"/>), timestamp
/// unwrapping and re-basing (<see cref="RtpTimestampUnwrapper"/>), interarrival jitter (§6.4.1), the wall clock from
/// RTCP sender reports, and receiver reports. Subclasses parse payloads.
/// Not thread-safe: one receive loop pushes packets; <see cref="Counters"/> may be read from anywhere.
/// Nothing a camera sends makes <see cref="Push(ReadOnlySpan{byte}, long)"/> throw: bad input is counted and dropped.
/// </summary>
public abstract partial class RtpDepacketizer
{
    private readonly Action<MediaFrame> _onFrame;
    private readonly RtpReorderBuffer _reorder = new();
    private readonly RtpTimestampUnwrapper _unwrapper;
    private readonly RtpPacketHandler _deliver;
    private readonly Action<int> _onLoss;
    private bool _hasSsrc;
    private uint _ssrc;
    private long _arrival;
    private bool _hasTransit;
    private long _lastTransit;
    private double _jitter;
    private bool _wallAnchored;
    private long _wallAnchorUnixMs;
    private long _wallAnchorPts;
    private RtcpSenderReport _lastSr;
    private long _lastSrArrival;
    private bool _hasSr;
    private uint _lastReportExpected;
    private long _lastReportDelivered;
    private long _lastEmittedDts = long.MinValue;

    private long _packets;
    private long _bytes;
    private long _frames;
    private long _malformed;
    private long _droppedFrames;
    private long _trackChanges;
    private long _dtsCorrections;

    protected RtpDepacketizer(RtpPayloadFormat format, MediaTrack track, TimeProvider clock, Action<MediaFrame> onFrame)
    {
        Format = format;
        Track = track;
        Clock = clock;
        _onFrame = onFrame;
        _unwrapper = new RtpTimestampUnwrapper(track.ClockRate);
        _deliver = Deliver;
        _onLoss = HandleLoss;
    }

    public RtpPayloadFormat Format { get; }

    /// <summary>
    /// The track as currently known: from the SDP at first, replaced by a new instance (same Id) whenever in-band
    /// parameter sets change it. Every emitted frame carries the instance in force for it.
    /// </summary>
    public MediaTrack Track { get; private set; }

    /// <summary>Called (on the receive loop) when <see cref="Track"/> is replaced, before the first frame that uses it.</summary>
    public Action<MediaTrack>? TrackChanged { get; set; }

    public RtpDepacketizerCounters Counters => new(
        Interlocked.Read(ref _packets), Interlocked.Read(ref _bytes), Interlocked.Read(ref _frames),
        Interlocked.Read(ref _malformed), _reorder.Lost, _reorder.Reordered, _reorder.DuplicateOrLate,
        Interlocked.Read(ref _droppedFrames), _unwrapper.Jumps, Interlocked.Read(ref _trackChanges),
        Interlocked.Read(ref _dtsCorrections) + ExtraDtsCorrections);

    protected TimeProvider Clock { get; }

    /// <summary>DTS corrections counted by a subclass's own extractor.</summary>
    protected virtual long ExtraDtsCorrections => 0;

    /// <summary>Pushes one RTP packet (header included) that arrived now.</summary>
    public void Push(ReadOnlySpan<byte> packet) => Push(packet, Clock.GetTimestamp());

    /// <summary>
    /// Pushes one RTP packet (header included); <paramref name="arrivalTimestamp"/> is from
    /// <see cref="TimeProvider.GetTimestamp"/> of the same clock. The span is not kept after the call.
    /// </summary>
    public void Push(ReadOnlySpan<byte> packet, long arrivalTimestamp)
    {
        Interlocked.Increment(ref _packets);
        Interlocked.Add(ref _bytes, packet.Length);
        if (!RtpPacket.TryParse(packet, out var rtp) || rtp.PayloadType != Format.PayloadType)
        {
            Interlocked.Increment(ref _malformed);
            return;
        }

        if (!_hasSsrc || rtp.Ssrc != _ssrc)
        {
            if (_hasSsrc)
            {
                // A new source (camera encoder restart): the old sequence and partial frame mean nothing now.
                _reorder.FlushAll(_deliver, _onLoss);
                _reorder.Reset();
                HandleLoss(0);
            }

            _hasSsrc = true;
            _ssrc = rtp.Ssrc;
        }

        UpdateJitter(rtp.Timestamp, arrivalTimestamp);
        _arrival = arrivalTimestamp;
        _reorder.Push(packet, rtp.SequenceNumber, arrivalTimestamp, Clock, _deliver, _onLoss);
    }

    /// <summary>
    /// Gives up on every open sequence gap now and processes what was held behind it (end of stream). Gaps also
    /// close by themselves when a later packet arrives <see cref="RtpReorderBuffer.MaxHoldTime"/> after the gap opened.
    /// </summary>
    public void Flush() => _reorder.FlushAll(_deliver, _onLoss);

    /// <summary>Feeds an RTCP compound packet from the camera; an SR sets the RTP ↔ wall-clock mapping.</summary>
    public void PushRtcp(ReadOnlySpan<byte> compound)
    {
        if (!RtcpSenderReport.TryFind(compound, out var sr))
        {
            return;
        }

        _lastSr = sr;
        _lastSrArrival = Clock.GetTimestamp();
        _hasSr = true;
    }

    /// <summary>
    /// Writes a receiver report about this track into <paramref name="destination"/> (RFC 3550 §6.4.2, §A.3);
    /// returns the bytes written, or 0 before the first packet. Call every few seconds.
    /// </summary>
    public int WriteReceiverReport(Span<byte> destination, uint reporterSsrc, string canonicalName)
    {
        if (!_hasSsrc)
        {
            return 0;
        }

        var expected = (uint)(_reorder.Lost + _reorder.Delivered);
        var expectedInterval = expected - _lastReportExpected;
        var lostInterval = (long)expectedInterval - (_reorder.Delivered - _lastReportDelivered);
        _lastReportExpected = expected;
        _lastReportDelivered = _reorder.Delivered;
        var fraction = expectedInterval == 0 || lostInterval <= 0 ? (byte)0 : (byte)((lostInterval << 8) / expectedInterval);
        uint dlsr = 0;
        if (_hasSr)
        {
            // DLSR in units of 1/65536 s.
            dlsr = (uint)Math.Min(uint.MaxValue, Clock.GetElapsedTime(_lastSrArrival).TotalSeconds * 65536);
        }

        var report = new RtcpReceiverReport(reporterSsrc, _ssrc, fraction, (int)Math.Min(_reorder.Lost, int.MaxValue),
            _reorder.ExtendedHighestSequence, (uint)_jitter, _hasSr ? _lastSr.CompactNtp : 0, dlsr, canonicalName);
        if (destination.Length < report.GetSize())
        {
            return 0;
        }

        return report.WriteTo(destination);
    }

    /// <summary>Creates a frame on the track in force and hands it to the sink.</summary>
    /// <param name="timelinePts">The frame's presentation time on the unwrapped RTP timeline (for the wall clock).</param>
    /// <param name="dts">Decode time on the output timeline.</param>
    /// <param name="compositionOffset">PTS − DTS.</param>
    protected void EmitFrame(long timelinePts, long dts, int compositionOffset, bool isKeyFrame, ReadOnlyMemory<byte> data)
    {
        if (dts < _lastEmittedDts)
        {
            compositionOffset = (int)Math.Max(0, dts + compositionOffset - _lastEmittedDts);
            dts = _lastEmittedDts;
            Interlocked.Increment(ref _dtsCorrections);
        }

        _lastEmittedDts = dts;
        Interlocked.Increment(ref _frames);
        _onFrame(new MediaFrame(Track, dts, compositionOffset, isKeyFrame, data, WallClockOf(timelinePts)));
    }

    /// <summary>Publishes a new track instance (same Id) before the next frame.</summary>
    protected void ChangeTrack(MediaTrack track)
    {
        Track = track;
        Interlocked.Increment(ref _trackChanges);
        TrackChanged?.Invoke(track);
    }

    protected void CountMalformed() => Interlocked.Increment(ref _malformed);

    protected void CountDroppedFrame() => Interlocked.Increment(ref _droppedFrames);

    /// <summary>One in-order, valid packet whose timestamp is <paramref name="timestamp"/> on the unwrapped timeline.</summary>
    protected abstract void OnPacket(in RtpPacket packet, long timestamp);

    /// <summary>
    /// Packets are missing before the next one (<paramref name="count"/> = 0: the sequence restarted). Drop any
    /// partial frame and resynchronise at the next frame start.
    /// </summary>
    protected abstract void OnDiscontinuity(int count);

    private void Deliver(ReadOnlySpan<byte> data)
    {
        if (!RtpPacket.TryParse(data, out var rtp))
        {
            return;
        }

        var timestamp = _unwrapper.Unwrap(rtp.Timestamp);
        if (_unwrapper.LastWasJump)
        {
            // The camera's clock jumped: the old RTP ↔ wall-clock mapping is void; re-anchor at this packet.
            _hasSr = false;
            _wallAnchored = false;
        }

        OnPacket(rtp, timestamp);
    }

    private void HandleLoss(int count) => OnDiscontinuity(count);

    private long WallClockOf(long pts)
    {
        var rate = Track.ClockRate;
        if (_hasSr)
        {
            var srPts = _unwrapper.Peek(_lastSr.RtpTimestamp);
            return _lastSr.NtpUnixMilliseconds + ((pts - srPts) * 1000 / rate);
        }

        if (!_wallAnchored)
        {
            _wallAnchored = true;
            _wallAnchorPts = pts;
            var age = Clock.GetElapsedTime(_arrival);
            _wallAnchorUnixMs = Clock.GetUtcNow().ToUnixTimeMilliseconds() - (long)age.TotalMilliseconds;
        }

        return _wallAnchorUnixMs + ((pts - _wallAnchorPts) * 1000 / rate);
    }

    private void UpdateJitter(uint rtpTimestamp, long arrivalTimestamp)
    {
        // RFC 3550 §6.4.1 and §A.8: J += (|D| − J) / 16 with transit times in RTP clock units.
        var arrivalUnits = (long)(arrivalTimestamp * (double)Track.ClockRate / Clock.TimestampFrequency);
        var transit = arrivalUnits - rtpTimestamp;
        if (_hasTransit)
        {
            // Differences beyond 32 bits are a timestamp jump, not jitter: cap them (RFC 3550 §A.8 uses 32-bit maths).
            var d = Math.Min(Math.Abs(transit - _lastTransit), uint.MaxValue);
            _jitter += (d - _jitter) / 16.0;
        }

        _hasTransit = true;
        _lastTransit = transit;
    }
}
