namespace LightNvr.Media.Sdp;

/// <summary>Bounds on what one SDP may contain (architecture D7). Over a limit, parsing fails with an error.</summary>
public static class SdpLimits
{
    /// <summary>Largest SDP accepted: the RTSP body limit, since SDPs arrive as DESCRIBE bodies.</summary>
    public const int MaxLength = Rtsp.RtspLimits.MaxBodyLength;

    /// <summary>
    /// Most <c>m=</c> sections. Cameras offer 1–4 (video, audio, metadata/ONVIF, backchannel); 32 is far above that
    /// and keeps a hostile SDP from creating thousands of tracks.
    /// </summary>
    public const int MaxMediaDescriptions = 32;

    /// <summary>
    /// Most payload formats on one <c>m=</c> line. A WebRTC-style offer lists ~20; cameras list 1–3. Payload types are
    /// 7 bits (RFC 3550 §5.1), so no valid line needs more than 128.
    /// </summary>
    public const int MaxFormatsPerMedia = 128;

    /// <summary>
    /// Most <c>a=</c> lines in the session part or in one media section. Cameras send under 20; a browser's WebRTC
    /// offer sends rtpmap, fmtp and four rtcp-fb lines per codec: chromium's video section has about 140 (seen:
    /// more than 128 refused). 512 leaves room for browsers that add codecs and still bounds a hostile SDP.
    /// </summary>
    public const int MaxAttributesPerSection = 512;
}
