using System.Net;

namespace LightNvr.Media.Rtsp.Server;

/// <summary>One request to check: which stream, which access, and the client's Authorization header as sent.</summary>
/// <param name="StreamName">The stream (URL-decoded path).</param>
/// <param name="Access">Read or publish.</param>
/// <param name="Authorization">The Authorization header value, or null. Holds a secret: never log it.</param>
/// <param name="Remote">The client's address:port, for logs and rate limits.</param>
public sealed record RtspAccessRequest(string StreamName, RtspAccess Access, string? Authorization, string Remote)
{
    /// <summary>The client's address (IPv4-mapped addresses as IPv4), for per-user address rules; null when unknown.</summary>
    public IPAddress? RemoteAddress { get; init; }

    /// <summary>Never prints the Authorization value.</summary>
    public override string ToString() => $"{Access} {StreamName} from {Remote}";
}
