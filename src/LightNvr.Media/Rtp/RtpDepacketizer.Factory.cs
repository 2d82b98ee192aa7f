namespace LightNvr.Media.Rtp;

public abstract partial class RtpDepacketizer
{
    /// <summary>
    /// Creates the depacketizer for an SDP payload format, or returns null with <paramref name="unsupportedReason"/>
    /// for formats the core does not carry (the RTSP client then skips that media, counted, not fatal).
    /// <paramref name="onFrame"/> is called on the pushing thread for every frame; <see cref="Track"/> is the initial
    /// track for <see cref="IMediaSink.OnTracks"/> (video may lack parameter sets until in-band ones arrive:
    /// <see cref="MediaTrack.IsReady"/> tells).
    /// </summary>
    public static RtpDepacketizer? Create(RtpPayloadFormat format, int trackId, TimeProvider clock,
        Action<MediaFrame> onFrame, out string? unsupportedReason)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(onFrame);
        unsupportedReason = null;
        var name = format.EncodingName.ToUpperInvariant();
        if (name.Length == 0)
        {
            // Static payload types need no rtpmap (RFC 3551 Table 4).
            name = format.PayloadType switch { 0 => "PCMU", 8 => "PCMA", _ => name };
        }

        switch (name)
        {
            case "H264":
                return new H264Depacketizer(format, trackId, clock, onFrame);
            case "H265":
                return new H265Depacketizer(format, trackId, clock, onFrame);
            case "MPEG4-GENERIC":
                return AacDepacketizer.TryCreate(format, trackId, clock, onFrame, out unsupportedReason);
            case "PCMU":
                return new G711Depacketizer(format, MediaCodec.Pcmu, trackId, clock, onFrame);
            case "PCMA":
                return new G711Depacketizer(format, MediaCodec.Pcma, trackId, clock, onFrame);
            default:
                unsupportedReason = $"unsupported RTP payload format '{format.EncodingName}' (payload type {format.PayloadType})";
                return null;
        }
    }
}
