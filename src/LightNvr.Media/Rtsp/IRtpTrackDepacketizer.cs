namespace LightNvr.Media.Rtsp;

/// <summary>
/// The thin seam between this client and the RTP payload depacketizers of the <c>Rtp</c> namespace: the client pushes
/// each RTP packet of a track (header included) and the depacketizer emits frames through the callback it was
/// created with. Called on one receive loop at a time; the packet span is only valid during the call.
/// </summary>
internal interface IRtpTrackDepacketizer
{
    void Push(ReadOnlySpan<byte> rtpPacket);
}
