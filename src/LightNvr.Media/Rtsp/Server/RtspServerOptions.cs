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

    /// <summary>
    /// A request (or interleaved frame) must be complete this long after its first byte, and the first one this long
    /// after the connection was accepted; else the connection is closed (idle sockets, slowloris half-lines). MediaMTX's
    /// <c>readTimeout</c> default is the same 10 s.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A connection that has not passed an access check (no credentials accepted, so no session) is closed after this
    /// long without a complete request: room for a person typing a password after a 401, no room to park sockets.
    /// </summary>
    public TimeSpan UnauthenticatedIdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Connections from one address (IPv4 address, or IPv6 /64) that have not passed an access check; one more closes
    /// the oldest of them. Authenticated connections never count: one host may pull many streams.
    /// </summary>
    public int MaxUnauthenticatedPerAddress { get; init; } = RtspServer.DefaultMaxUnauthenticatedPerAddress;

    /// <summary>Interval of RTCP sender reports per track (RFC 3550 §6.2 suggests 5 s as the minimum interval).</summary>
    public TimeSpan SenderReportInterval { get; init; } = TimeSpan.FromSeconds(5);
}
