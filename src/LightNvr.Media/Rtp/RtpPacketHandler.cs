namespace LightNvr.Media.Rtp;

/// <summary>Receives one whole RTP packet (header included) that is only valid during the call.</summary>
public delegate void RtpPacketHandler(ReadOnlySpan<byte> packet);
