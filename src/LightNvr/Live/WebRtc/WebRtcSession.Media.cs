using System.Buffers.Binary;
using LightNvr.IO;
using LightNvr.Media;
using LightNvr.Media.Codecs.H264;
using LightNvr.Media.Rtp;
using LightNvr.Media.WebRtc;

namespace LightNvr.Live.WebRtc;

/// <summary>The sending half: hub frames → RFC 6184 / RFC 3551 RTP → SRTP, RTCP SR, NACK and PLI/FIR.</summary>
public sealed partial class WebRtcSession
{
    /// <summary>
    /// RTP packets kept for NACK retransmission (RFC 4585 §6.2.1): 512 packets are ~1 s of a 4 Mbit/s camera
    /// (1,200-byte packets), longer than a browser waits before asking for a keyframe instead.
    /// </summary>
    public const int MaxHistoryPackets = 512;

    /// <summary>
    /// Largest RTP packet sent: 1,200 bytes (libwebrtc's default), which with the 10-byte SRTP tag and IP/UDP
    /// headers stays under every common MTU, tunnels included.
    /// </summary>
    public const int MaxRtpPacketSize = 1200;

    /// <summary>RFC 3550 §6.2: RTCP about every 5 s; a sender report each second helps the browser sync audio sooner.</summary>
    private static readonly TimeSpan SenderReportInterval = TimeSpan.FromSeconds(1);

    /// <summary>Keyframe requests answered at most this often: a decoder in trouble sends PLI in bursts.</summary>
    private static readonly TimeSpan MinKeyframeResendInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Gap between the frames of a re-sent GOP in RTP units (0.1 ms at 90 kHz): decoded at once, not replayed.</summary>
    private const int BurstSpacing = 9;

    /// <summary>Room for one SRTP packet: the RTP packet plus the largest SRTP tag (16, AES-GCM) and spare.</summary>
    private const int SlotSize = MaxRtpPacketSize + 64;

    /// <summary>The plain RTP packet being written (payload copied from the shared <see cref="RtpFrame"/>).</summary>
    private readonly byte[] _rtpBuffer = new byte[SlotSize];

    /// <summary>SRTP of audio and RTCP; video is encrypted straight into its history slot.</summary>
    private readonly byte[] _packetBuffer = new byte[SlotSize];

    /// <summary>The last <see cref="MaxHistoryPackets"/> video SRTP packets, one slot each, written in place (no allocation per packet).</summary>
    private readonly byte[] _history = GC.AllocateUninitializedArray<byte>(MaxHistoryPackets * SlotSize);
    private readonly (ushort Seq, int Length)[] _historyIndex = new (ushort, int)[MaxHistoryPackets];

    /// <summary>Guards the buffers, the history and the send SRTP context: the Opus pump and NACKs send from other threads.</summary>
    private readonly Lock _sendLock = new();
    private SrtpContext? _sendSrtp;
    private Track? _video;
    private Track? _audio;
    private volatile bool _keyframeRequested;
    private long _lastKeyframeResend;
    private long _lastSenderReport;
    private long _nacks;
    private long _retransmits;
    private long _keyframeRequests;

    /// <summary>NACKed packets asked for (a test and the streams JSON read it).</summary>
    public long Nacks => Interlocked.Read(ref _nacks);

    public long Retransmits => Interlocked.Read(ref _retransmits);

    public long KeyframeRequests => Interlocked.Read(ref _keyframeRequests);

    private void InitMedia()
    {
        foreach (var plan in _negotiation.Media)
        {
            var track = new Track(plan, (ushort)KernelRandom.GetInt32(0, 0x8000), (uint)KernelRandom.GetInt32(0, int.MaxValue));
            if (plan.Kind == MediaKind.Video)
            {
                _video = track;
            }
            else
            {
                _audio = track;
            }
        }
    }

    private async Task SendLoopAsync(CancellationToken ct)
    {
        // The cached GOP (and whatever queued during the handshake) goes out at once, its frames 0.1 ms apart and
        // ending at the newest: the browser decodes up to the live edge and shows it, instead of waiting for the
        // next keyframe (go2rtc) or replaying the GOP at its own pace.
        var burst = new List<MediaFrame>(_first);
        while (_subscription.TryRead(out var queued))
        {
            burst.Add(queued);
        }

        SendBurst(burst);
        LogFirstRtp(_stream.Name, Since(Volatile.Read(ref _firstRtpAt)), burst.Count);
        while (await _subscription.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            while (_subscription.TryRead(out var frame))
            {
                if (_keyframeRequested)
                {
                    ResendGop();
                }

                SendFrame(frame, frame.Pts);
                MaybeSendReports();
            }
        }

        End($"stream '{_stream.Name}' ended");
    }

    private void SendBurst(IReadOnlyList<MediaFrame> frames)
    {
        var videos = frames.Where(f => _video is not null && f.Track.Id == _video.Plan.TrackId).ToList();
        for (var i = 0; i < videos.Count; i++)
        {
            SendFrame(videos[i], videos[^1].Pts - ((long)(videos.Count - 1 - i) * BurstSpacing));
        }

        MaybeSendReports();
    }

    /// <summary>
    /// PLI/FIR (RFC 4585 §6.3.1, RFC 5104 §4.3.1): the camera is not asked for a keyframe (it serves every viewer);
    /// the hub's cached GOP up to the last frame sent goes out again, 0.1 ms apart after the last timestamp sent.
    /// </summary>
    private void ResendGop()
    {
        _keyframeRequested = false;
        if (_video is null || _time.GetElapsedTime(_lastKeyframeResend) < MinKeyframeResendInterval)
        {
            return;
        }

        _lastKeyframeResend = _time.GetTimestamp();
        var gop = _stream.Hub.CachedGop().Where(f => f.Track.Id == _video.Plan.TrackId && f.Dts <= _video.LastDts).ToList();
        var pts = _video.LastPts;
        foreach (var frame in gop)
        {
            pts += BurstSpacing;
            SendFrame(frame, pts, resend: true);
        }
    }

    private void SendFrame(MediaFrame frame, long pts, bool resend = false)
    {
        var track = _video is not null && frame.Track.Id == _video.Plan.TrackId ? _video
            : _audio is not null && frame.Track.Id == _audio.Plan.TrackId ? _audio : null;
        if (track is null || _sendSrtp is null)
        {
            return;
        }

        if (pts <= track.LastPts && track.Packets > 0 && !resend && track == _video)
        {
            pts = track.LastPts + 1; // keep RTP time moving forward after a burst
        }

        // Cut once per stream (hub frames are shared by every subscriber); the transcoder's Opus packets are this
        // session's own.
        var rtp = frame.Track.Id == WebRtcMediaPlan.TranscodedTrackId
            ? RtpFrame.Cut(frame, MaxRtpPacketSize) : RtpFrame.Of(frame, MaxRtpPacketSize);
        var timestamp = unchecked(track.InitialTimestamp + (uint)pts);
        var isVideo = track == _video;
        var bytes = 0L;
        lock (_sendLock)
        {
            for (var i = 0; i < rtp.Count; i++)
            {
                var seq = track.NextSequence++;
                var length = rtp.Write(i, _rtpBuffer, (byte)track.Plan.PayloadType, seq, timestamp, track.Plan.Ssrc);
                var slot = seq % MaxHistoryPackets;
                var destination = isVideo ? _history.AsSpan(slot * SlotSize, SlotSize) : _packetBuffer;
                var n = _sendSrtp.ProtectRtp(_rtpBuffer.AsSpan(0, length), destination);
                if (isVideo)
                {
                    _historyIndex[slot] = (seq, n); // sent as is; overwritten only MaxHistoryPackets packets later
                }

                SendToPeer(isVideo ? _history.AsMemory(slot * SlotSize, n) : _packetBuffer.AsMemory(0, n));
                bytes += n;
            }
        }

        Mark(ref _firstRtpAt);
        track.Packets += rtp.Count;
        track.PayloadOctets += rtp.PayloadOctets;
        track.LastPts = pts;
        if (!resend)
        {
            track.LastDts = frame.Dts;
        }

        track.LastRtpTimestamp = timestamp;
        track.LastWallClock = frame.WallClockUnixMs;
        track.LastSentAt = _time.GetTimestamp();
        _consumer.AddSent(bytes, 1);
    }

    private void MaybeSendReports()
    {
        if (_sendSrtp is null || _time.GetElapsedTime(_lastSenderReport) < SenderReportInterval)
        {
            return;
        }

        _lastSenderReport = _time.GetTimestamp();
        var now = _time.GetUtcNow();
        Span<byte> plain = stackalloc byte[28];
        foreach (var track in new[] { _video, _audio })
        {
            if (track is null || track.Packets == 0)
            {
                continue;
            }

            // RFC 3550 §6.4.1: the RTP timestamp that corresponds to "now", extrapolated from the last frame sent.
            var elapsed = _time.GetElapsedTime(track.LastSentAt);
            var rtp = unchecked(track.LastRtpTimestamp + (uint)(elapsed.TotalSeconds * track.Plan.ClockRate));
            var report = new RtcpSenderReport(track.Plan.Ssrc, RtcpSenderReport.ToNtp(now), rtp,
                (uint)track.Packets, (uint)track.PayloadOctets);
            var length = report.WriteTo(plain);
            lock (_sendLock)
            {
                var n = _sendSrtp.ProtectRtcp(plain[..length], _packetBuffer);
                SendToPeer(_packetBuffer.AsMemory(0, n));
            }
        }
    }

    /// <summary>SRTCP from the browser: receiver reports, NACK (retransmit from history), PLI/FIR (flag for the sender).</summary>
    private void OnRtcp(ReadOnlySpan<byte> datagram)
    {
        if (_receiveSrtp is null)
        {
            return;
        }

        Span<byte> plain = stackalloc byte[datagram.Length];
        var n = _receiveSrtp.UnprotectRtcp(datagram, plain);
        if (n < 0)
        {
            return; // wrong tag: not from the peer that did the handshake
        }

        RtcpFeedback.Parse(plain[..n], OnNack, _ =>
        {
            Interlocked.Increment(ref _keyframeRequests);
            _keyframeRequested = true;
        });
    }

    private void OnNack(uint ssrc, ushort seq)
    {
        Interlocked.Increment(ref _nacks);
        if (_video is null || ssrc != _video.Plan.Ssrc)
        {
            return;
        }

        lock (_sendLock)
        {
            var slot = seq % MaxHistoryPackets;
            var (stored, length) = _historyIndex[slot];
            if (length > 0 && stored == seq)
            {
                // The stored SRTP packet as it was: same index, same bytes; the receiver never got it, so no replay.
                Interlocked.Increment(ref _retransmits);
                SendToPeer(_history.AsMemory(slot * SlotSize, length));
            }
        }
    }

    /// <summary>One sent track's RTP state: sequence and timestamp origin of this viewer, counts for sender reports.</summary>
    private sealed class Track(WebRtcMediaPlan plan, ushort firstSequence, uint initialTimestamp)
    {
        public WebRtcMediaPlan Plan { get; } = plan;
        public ushort NextSequence { get; set; } = firstSequence;
        public uint InitialTimestamp { get; } = initialTimestamp;
        public long Packets { get; set; }
        public long PayloadOctets { get; set; }
        public long LastPts { get; set; } = long.MinValue;
        public long LastDts { get; set; } = long.MinValue;
        public uint LastRtpTimestamp { get; set; }
        public long LastWallClock { get; set; }
        public long LastSentAt { get; set; }
    }
}
