using System.Net;

namespace LightNvr.Media.WebRtc;

/// <summary>
/// The server's side of a WebRTC session as the answer states it: ICE credentials (RFC 8839 §5.4), the DTLS
/// certificate fingerprint (RFC 8122 §5, <c>sha-256 AB:CD:…</c>) and the host candidates (RFC 8839 §5.1).
/// </summary>
public sealed record WebRtcLocalParameters(string IceUfrag, string IcePwd, string Fingerprint,
    IReadOnlyList<IPEndPoint> Candidates, ulong SessionId)
{
    /// <summary>Candidates after the UDP host ones: server-reflexive (STUN) and ICE-TCP passive (RFC 6544).</summary>
    public IReadOnlyList<IceCandidate> ExtraCandidates { get; init; } = [];
}

/// <summary>
/// A candidate other than a UDP host one: <c>srflx</c> over UDP with its base as <paramref name="Related"/>
/// (RFC 8839 §5.1 raddr/rport), or a <c>host</c> one over TCP, passive (RFC 6544 §4.5 <c>tcptype passive</c>).
/// </summary>
public sealed record IceCandidate(IPEndPoint Address, IceCandidateKind Kind, IPEndPoint? Related = null);

public enum IceCandidateKind
{
    /// <summary>UDP, the address a STUN server saw (RFC 8445 §5.1.1.2).</summary>
    ServerReflexive,

    /// <summary>TCP host candidate that accepts connections (RFC 6544).</summary>
    TcpPassive,
}
