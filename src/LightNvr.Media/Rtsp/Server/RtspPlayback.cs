using System.Buffers;
using System.Buffers.Binary;
using LightNvr.Media.Rtp;
using LightNvr.Media.Streaming;

namespace LightNvr.Media.Rtsp.Server;

/// <summary>
/// Sends a hub subscription's frames to one client as RTP: over TCP as interleaved frames gathered into one write
/// per batch, over UDP one datagram per packet; RTCP sender reports every <see cref="RtspServerOptions.SenderReportInterval"/>.
/// A client that cannot keep up lets its subscription fill: the hub drops frames for it (counted) and resumes it at
/// the next keyframe, and the camera never waits. Video keyframes without in-band parameter sets get them
/// prepended, so a client that ignores the SDP's sprop values, or sees them change, still decodes.
/// </summary>
internal sealed class RtspPlayback
{
    /// <summary>Flush a TCP batch at this size: a few dozen packets, well under a socket send buffer.</summary>
    private const int MaxBatchBytes = 64 * 1024;

    /// <summary>Largest RTCP packet we write (an SR without report blocks is 28 bytes).</summary>
    private const int MaxRtcpBytes = 64;

    private readonly HubSubscription _subscription;
    private readonly Dictionary<int, RtspOutgoingTrack> _tracks;
    private readonly Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> _writeTcp;
    private readonly TimeProvider _time;
    private readonly TimeSpan _reportInterval;
    private readonly ArrayBufferWriter<byte> _batch = new(MaxBatchBytes + RtpPacket.MaxPacketSize);
    private readonly IReadOnlyList<MediaTrack> _initialTracks;
    private long _lastReport;
    private long _packets;
    private long _bytes;

    private readonly IReadOnlyList<MediaFrame> _initial;

    /// <param name="initial">Frames already taken from the subscription (at PLAY, for RTP-Info), sent first.</param>
    public RtspPlayback(HubSubscription subscription, IReadOnlyList<RtspOutgoingTrack> tracks,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> writeTcp, TimeProvider time, TimeSpan reportInterval,
        IReadOnlyList<MediaFrame> initial)
    {
        _initial = initial;
        _subscription = subscription;
        _tracks = tracks.ToDictionary(t => t.Id);
        _writeTcp = writeTcp;
        _time = time;
        _reportInterval = reportInterval;
        _initialTracks = subscription.Tracks;
        _lastReport = time.GetTimestamp();
    }

    public long Packets => Interlocked.Read(ref _packets);

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Runs until cancelled, the subscription ends, or the source comes back with other codecs.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        foreach (var frame in _initial)
        {
            Send(frame);
            if (_batch.WrittenCount >= MaxBatchBytes)
            {
                await FlushAsync(ct).ConfigureAwait(false);
            }
        }

        await FlushAsync(ct).ConfigureAwait(false);
        while (await _subscription.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            if (!ReferenceEquals(_subscription.Tracks, _initialTracks) && !SameCodecs(_subscription.Tracks))
            {
                return; // the camera changed codecs: the client must DESCRIBE again
            }

            while (_subscription.TryRead(out var frame))
            {
                Send(frame);
                if (_batch.WrittenCount >= MaxBatchBytes)
                {
                    await FlushAsync(ct).ConfigureAwait(false);
                }
            }

            if (_time.GetElapsedTime(_lastReport) >= _reportInterval)
            {
                _lastReport = _time.GetTimestamp();
                SendReports();
            }

            await FlushAsync(ct).ConfigureAwait(false);
        }
    }

    private bool SameCodecs(IReadOnlyList<MediaTrack> now) =>
        _tracks.Values.All(t => now.Any(n => n.Id == t.Id && n.Codec == t.Track.Codec));

    private void Send(MediaFrame frame)
    {
        if (!_tracks.TryGetValue(frame.Track.Id, out var track) || frame.Track.Codec != track.Track.Codec)
        {
            return;
        }

        if (frame.IsKeyFrame && frame.Track.Kind == MediaKind.Video)
        {
            frame = ParameterSetPrefix.Apply(frame);
        }

        var first = !track.HasSent;
        track.Packetizer.Packetize(frame, packet => Emit(track, packet, rtcp: false));
        track.OnFrameSent(frame);
        if (first)
        {
            SendReport(track); // the wall-clock mapping from the start, so a player never re-bases mid-stream
        }
    }

    private void SendReports()
    {
        foreach (var track in _tracks.Values)
        {
            SendReport(track);
        }
    }

    private void SendReport(RtspOutgoingTrack track)
    {
        Span<byte> report = stackalloc byte[MaxRtcpBytes];
        var n = track.WriteSenderReport(report);
        if (n > 0)
        {
            Emit(track, report[..n], rtcp: true);
        }
    }

    private void Emit(RtspOutgoingTrack track, ReadOnlySpan<byte> packet, bool rtcp)
    {
        Interlocked.Increment(ref _packets);
        Interlocked.Add(ref _bytes, packet.Length);
        if (track.IsUdp)
        {
            track.TrySendUdp(packet, rtcp);
            return;
        }

        var channel = (byte)(track.Channel!.Value + (rtcp ? 1 : 0));
        var span = _batch.GetSpan(RtspLimits.InterleavedHeaderLength + packet.Length);
        span[0] = (byte)'$';
        span[1] = channel;
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)packet.Length);
        packet.CopyTo(span[RtspLimits.InterleavedHeaderLength..]);
        _batch.Advance(RtspLimits.InterleavedHeaderLength + packet.Length);
    }

    private async ValueTask FlushAsync(CancellationToken ct)
    {
        if (_batch.WrittenCount == 0)
        {
            return;
        }

        await _writeTcp(_batch.WrittenMemory, ct).ConfigureAwait(false);
        _batch.ResetWrittenCount();
    }
}
