using System.Net;

namespace LightNvr.Media.Rtsp.Server;

/// <summary>Settings of an <see cref="RtspServer"/>; the defaults are what RFC 2326 and common servers use.</summary>
public sealed record RtspServerOptions
{
    /// <summary>Address and port to listen on (TCP for RTSP; UDP media ports are bound on the same address).</summary>
    public required IPEndPoint Endpoint { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The realm of the Basic challenge.</summary>
    public string Realm { get; init; } = "LightNVR";

    /// <summary>
    /// Session timeout announced in the Session header and applied to UDP sessions without a request or RTCP packet
    /// (RFC 2326 §12.37 default: 60 s).
    /// </summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromSeconds(RtspSessionHeader.DefaultTimeoutSeconds);

    /// <summary>How long DESCRIBE waits for an on-demand source to connect and announce its tracks.</summary>
    public TimeSpan DescribeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A TCP write that makes no progress this long ends the connection (a client that stopped reading).</summary>
    public TimeSpan MaxWriteStall { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Interval of RTCP sender reports per track (RFC 3550 §6.2 suggests 5 s as the minimum interval).</summary>
    public TimeSpan SenderReportInterval { get; init; } = TimeSpan.FromSeconds(5);
}
