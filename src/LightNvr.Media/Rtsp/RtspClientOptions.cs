namespace LightNvr.Media.Rtsp;

/// <summary>
/// Timeouts and identity of an RTSP client. Every wait is bounded; the defaults (named constants below) suit cameras
/// on a LAN and each one can be overridden per stream.
/// </summary>
public sealed record RtspClientOptions
{
    /// <summary>ffmpeg's RTSP demuxer and GStreamer's rtspsrc wait 5 s and 20 s to connect; 5 s is plenty on a LAN.</summary>
    public const int DefaultConnectTimeoutSeconds = 5;

    /// <summary>gortsplib's client waits 10 s for a reply; slow cameras answer DESCRIBE in 1–3 s.</summary>
    public const int DefaultRequestTimeoutSeconds = 10;

    /// <summary>go2rtc and ffmpeg give UDP about 5 s before concluding that packets are blocked.</summary>
    public const int DefaultUdpNoPacketTimeoutSeconds = 5;

    /// <summary>Same bound as a request: a camera silent this long is as dead as one that does not answer.</summary>
    public const int DefaultReadTimeoutSeconds = 10;

    /// <summary>RFC 3550 §6.2: the recommended minimum RTCP interval is 5 s.</summary>
    public const int DefaultReceiverReportIntervalSeconds = 5;

    /// <summary>Redirect chains of cameras and proxies are 1–2 hops; 5 stops a loop quickly.</summary>
    public const int DefaultMaxRedirects = 5;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(DefaultConnectTimeoutSeconds);

    /// <summary>Wait for each response.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(DefaultRequestTimeoutSeconds);

    /// <summary>
    /// UDP: no RTP at all this long after PLAY is reported as an error so the caller can fall back to TCP
    /// (a firewall or NAT drops the packets).
    /// </summary>
    public TimeSpan UdpNoPacketTimeout { get; init; } = TimeSpan.FromSeconds(DefaultUdpNoPacketTimeoutSeconds);

    /// <summary>No RTP on any track this long while playing ends the session with an error (camera hung).</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(DefaultReadTimeoutSeconds);

    /// <summary>Interval of RTCP receiver reports per track.</summary>
    public TimeSpan ReceiverReportInterval { get; init; } = TimeSpan.FromSeconds(DefaultReceiverReportIntervalSeconds);

    /// <summary>Most 3xx redirects followed.</summary>
    public int MaxRedirects { get; init; } = DefaultMaxRedirects;

    public string UserAgent { get; init; } = "LightNVR";

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How an <c>rtsps://</c> camera's certificate is checked (default: system roots and host name).</summary>
    public CameraTlsOptions Tls { get; init; } = new();

    /// <summary>
    /// When set, a TCP session reads paced by this shared tick while its sink accepts batched delivery
    /// (<see cref="IMediaSink.AcceptsBatchedDelivery"/>); null reads every packet as it arrives.
    /// </summary>
    public Streaming.ReceivePacer? ReceivePacer { get; init; }
}
