using System.Net;
using LightNvr.Media.Rtp;
using LightNvr.Media.Sdp;

namespace LightNvr.Media.Rtsp;

/// <summary>
/// One media of the session we set up: its SDP format, control URL, transport and the depacketizer that turns its
/// RTP into frames. The depacketizer is not thread-safe, and on UDP RTP and RTCP arrive on two loops while receiver
/// reports are written from a third, so every use of it goes through this track's lock.
/// </summary>
internal sealed class RtspTrack
{
    private readonly Lock _lock = new();
    private readonly RtpDepacketizer _depacketizer;

    private RtspTrack(int id, string controlUrl, RtpDepacketizer depacketizer)
    {
        Id = id;
        ControlUrl = controlUrl;
        _depacketizer = depacketizer;
    }

    public int Id { get; }

    public string ControlUrl { get; }

    public RtpPayloadFormat Format => _depacketizer.Format;

    /// <summary>The track as the SDP announced it (frames carry later versions when in-band parameter sets change).</summary>
    public MediaTrack Track => _depacketizer.Track;

    public RtspUdpPortPair? Udp { get; set; }

    /// <summary>Where to send our RTCP when on UDP: the camera's RTCP port from <c>server_port</c>.</summary>
    public IPEndPoint? ServerRtcp { get; set; }

    /// <summary>RTP packets received for this track (updated with Interlocked, readable from any thread).</summary>
    public long Packets;

    /// <summary>
    /// A track for the first payload format of <paramref name="media"/> that the depacketizer factory carries, or null
    /// with the reason (metadata streams, ONVIF backchannels, MJPEG are skipped, not fatal).
    /// </summary>
    public static RtspTrack? TryCreate(int id, SdpMediaDescription media, string baseUrl, TimeProvider time,
        Action<MediaFrame> onFrame, out string? reason)
    {
        reason = $"no payload format in m={media.Media}";
        foreach (var format in media.GetPayloadFormats())
        {
            if (RtpDepacketizer.Create(format, id, time, onFrame, out reason) is { } depacketizer)
            {
                // Some cameras echo user:password@ in absolute controls; never send or keep them in a Request-URI.
                return new RtspTrack(id, RtspUrl.Redact(RtspUrl.ResolveControl(baseUrl, media.Control)), depacketizer);
            }
        }

        return null;
    }

    public void PushRtp(ReadOnlySpan<byte> packet)
    {
        lock (_lock)
        {
            _depacketizer.Push(packet);
        }
    }

    public void PushRtcp(ReadOnlySpan<byte> packet)
    {
        lock (_lock)
        {
            _depacketizer.PushRtcp(packet);
        }
    }

    /// <summary>RTCP RR + SDES about this track (RFC 3550 §6.4.2); 0 before the first packet.</summary>
    public int WriteReceiverReport(Span<byte> destination, uint ourSsrc, string canonicalName)
    {
        lock (_lock)
        {
            return _depacketizer.WriteReceiverReport(destination, ourSsrc, canonicalName);
        }
    }

    public RtpDepacketizerCounters Counters => _depacketizer.Counters;
}
