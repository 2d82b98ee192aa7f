namespace LightNvr.Media.WebRtc;

/// <summary>One track the server sends: the offer's <c>a=mid</c>, the payload type agreed, the SSRC it uses.</summary>
public sealed record WebRtcMediaPlan(string Mid, MediaKind Kind, MediaCodec Codec, int PayloadType, int ClockRate,
    uint Ssrc, int TrackId);
