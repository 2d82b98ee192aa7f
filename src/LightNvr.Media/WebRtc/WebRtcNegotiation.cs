namespace LightNvr.Media.WebRtc;

/// <summary>
/// The outcome of <see cref="WebRtcAnswerBuilder.Negotiate"/>: the answer SDP and what the session needs from the
/// offer (remote ICE credentials, the remote certificate fingerprint, the tracks to send), or a refusal with an
/// HTTP status (400 malformed offer, 415 no codec in common) and a message for the caller.
/// </summary>
public sealed record WebRtcNegotiation
{
    public string? Answer { get; init; }
    public int ErrorStatus { get; init; }
    public string? Error { get; init; }
    public string RemoteUfrag { get; init; } = "";
    public string RemotePwd { get; init; } = "";

    /// <summary>The offer's <c>a=fingerprint</c>: hash name (lower case) and the digest bytes.</summary>
    public string FingerprintAlgorithm { get; init; } = "";
    public byte[] Fingerprint { get; init; } = [];
    public IReadOnlyList<WebRtcMediaPlan> Media { get; init; } = [];

    /// <summary>The browser's microphone (two-way audio), when the answer accepted it; null otherwise.</summary>
    public WebRtcTalkPlan? Talk { get; init; }

    public bool Ok => Answer is not null;

    internal static WebRtcNegotiation Refuse(int status, string message) => new() { ErrorStatus = status, Error = message };
}
