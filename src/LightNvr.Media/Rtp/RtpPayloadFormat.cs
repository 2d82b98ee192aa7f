namespace LightNvr.Media.Rtp;

/// <summary>
/// A media description's payload format as an SDP gives it (RFC 8866 §6.6 <c>a=rtpmap</c> and <c>a=fmtp</c>),
/// reduced to what a depacketizer needs. The SDP parser produces it; the depacketizer factory consumes it.
/// </summary>
/// <param name="PayloadType">RTP payload type, 0–127.</param>
/// <param name="EncodingName">From rtpmap, e.g. <c>H264</c>, <c>H265</c>, <c>MPEG4-GENERIC</c>, <c>PCMU</c>; case as sent.</param>
/// <param name="ClockRate">From rtpmap; for static payload types 0 and 8 it is 8000.</param>
/// <param name="Channels">From rtpmap's encoding parameters; 1 when absent.</param>
/// <param name="Fmtp">The fmtp parameters, keys lower-cased (e.g. <c>sprop-parameter-sets</c>, <c>config</c>).</param>
public sealed record RtpPayloadFormat(
    int PayloadType,
    string EncodingName,
    int ClockRate,
    int Channels,
    IReadOnlyDictionary<string, string> Fmtp);
