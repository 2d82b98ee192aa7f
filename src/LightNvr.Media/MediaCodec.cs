namespace LightNvr.Media;

/// <summary>The codecs the media core carries. Anything else in an SDP is ignored (counted, not fatal).</summary>
public enum MediaCodec
{
    Unknown = 0,
    H264,
    H265,
    Aac,
    /// <summary>G.711 µ-law (RTP payload type 0).</summary>
    Pcmu,
    /// <summary>G.711 A-law (RTP payload type 8).</summary>
    Pcma,
    Opus,
}
