namespace LightNvr.Live.WebRtc;

/// <summary>An answered offer (the answer SDP and the session) or a refusal: HTTP status and message.</summary>
public sealed record WebRtcOfferResult(string? Answer, WebRtcSession? Session, int Status, string? Error)
{
    public static WebRtcOfferResult Refuse(int status, string message) => new(null, null, status, message);
}
