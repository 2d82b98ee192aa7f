namespace LightNvr.Media.WebRtc;

/// <summary>
/// The audio the browser sends (two-way audio): the <c>a=mid</c> of the section answered <c>sendrecv</c> or
/// <c>recvonly</c>, the payload type it arrives with and its codec (PCMU, PCMA or Opus).
/// </summary>
public sealed record WebRtcTalkPlan(string Mid, int PayloadType, MediaCodec Codec);
