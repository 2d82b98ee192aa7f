namespace LightNvr.Live.WebRtc;

/// <summary>One Opus packet from a stream's transcoder and its presentation time in 48 kHz units (RFC 7587 §4.1).</summary>
public readonly record struct OpusPacket(byte[] Data, long Pts);
