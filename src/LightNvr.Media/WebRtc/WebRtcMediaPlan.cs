namespace LightNvr.Media.WebRtc;

/// <summary>
/// One track the server sends: the offer's <c>a=mid</c>, the payload type agreed, the SSRC it uses, and the hub track
/// it comes from (<see cref="TranscodedTrackId"/> when a transcoder feeds it instead, e.g. Opus from an AAC camera).
/// </summary>
public sealed record WebRtcMediaPlan(string Mid, MediaKind Kind, MediaCodec Codec, int PayloadType, int ClockRate,
    uint Ssrc, int TrackId)
{
    /// <summary>The <see cref="TrackId"/> of a track fed by a transcoder: no hub track has it.</summary>
    public const int TranscodedTrackId = -1;
}
