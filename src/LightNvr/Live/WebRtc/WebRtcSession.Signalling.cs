namespace LightNvr.Live.WebRtc;

/// <summary>What the WHEP session resource needs to know about a session (RFC 9725 §4.3).</summary>
public sealed partial class WebRtcSession
{
    /// <summary>The client's ICE ufrag from its offer: a PATCH with another one asks for an ICE restart.</summary>
    public string RemoteUfrag => _negotiation.RemoteUfrag;

    /// <summary>The resource's entity tag: the session id, quoted (RFC 9110 §8.8.3).</summary>
    public string ETag => "\"" + Id + "\"";
}
