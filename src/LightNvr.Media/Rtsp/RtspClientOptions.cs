namespace LightNvr.Media.Rtsp;

/// <summary>Timeouts and identity of an RTSP client. Every wait is bounded; the defaults suit cameras on a LAN.</summary>
public sealed record RtspClientOptions
{
    /// <summary>TCP connect timeout. ffmpeg's rtsp demuxer and GStreamer's rtspsrc wait 5 s and 20 s; 5 s is enough on a LAN.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Wait for each response. gortsplib waits 10 s (ReadTimeout); slow cameras answer DESCRIBE in 1–3 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// UDP: no RTP at all this long after PLAY is reported as an error so the caller can fall back to TCP
    /// (a firewall or NAT drops the packets). go2rtc and ffmpeg use about 5 s for the same check.
    /// </summary>
    public TimeSpan UdpNoPacketTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>No RTP on any track this long while playing ends the session with an error (camera hung).</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Interval of RTCP receiver reports; RFC 3550 §6.2 minimum is 5 s.</summary>
    public TimeSpan ReceiverReportInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Most 3xx redirects followed; a loop between two cameras or proxies ends here.</summary>
    public int MaxRedirects { get; init; } = 5;

    public string UserAgent { get; init; } = "LightNVR";

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
