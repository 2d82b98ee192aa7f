namespace LightNvr.Live.WebRtc;

/// <summary>
/// An answered offer (the answer SDP and the session) or a refusal: HTTP status and message. <see cref="TalkRefused"/>:
/// why an offered microphone was answered <c>a=sendonly</c> although the caller may talk (another viewer of the
/// stream holds its two-way audio), for the player to show.
/// </summary>
public sealed record WebRtcOfferResult(string? Answer, WebRtcSession? Session, int Status, string? Error)
{
    public string? TalkRefused { get; init; }

    public static WebRtcOfferResult Refuse(int status, string message) => new(null, null, status, message);
}
