namespace LightNvr.Media.Hls;

/// <summary>One fMP4 media segment (a moof+mdat) of a live HLS playlist, kept in memory.</summary>
/// <param name="Sequence">Media sequence number (RFC 8216 §4.3.3.2), from 0.</param>
/// <param name="Duration">Media duration (the EXTINF value).</param>
/// <param name="Data">The segment's bytes.</param>
/// <param name="StartsWithKeyFrame">True when a decoder can start here.</param>
public sealed record HlsSegment(long Sequence, TimeSpan Duration, byte[] Data, bool StartsWithKeyFrame);
