namespace LightNvr.Media.Rtsp;

/// <summary>
/// How RTP reaches us. The numbers are the stream field <c>protocol</c> of upstream LightNVR's API (0 TCP, 1 UDP).
/// </summary>
public enum RtspTransport
{
    /// <summary>RTP and RTCP interleaved on the RTSP TCP connection, RFC 2326 §10.12.</summary>
    Tcp = 0,

    /// <summary>RTP and RTCP on a UDP port pair per track, RFC 2326 §12.39 <c>client_port</c>.</summary>
    Udp = 1,
}
