using System.Net;

namespace LightNvr.Media.WebRtc;

/// <summary>
/// The server's side of a WebRTC session as the answer states it: ICE credentials (RFC 8839 §5.4), the DTLS
/// certificate fingerprint (RFC 8122 §5, <c>sha-256 AB:CD:…</c>) and the host candidates (RFC 8839 §5.1).
/// </summary>
public sealed record WebRtcLocalParameters(string IceUfrag, string IcePwd, string Fingerprint,
    IReadOnlyList<IPEndPoint> Candidates, ulong SessionId);
