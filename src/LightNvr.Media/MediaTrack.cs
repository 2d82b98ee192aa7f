namespace LightNvr.Media;

/// <summary>
/// Immutable description of one elementary stream of a camera. When the camera sends new parameter sets
/// (in-band SPS/PPS that differ), the depacketizer publishes a new <see cref="MediaTrack"/> instance with the same
/// <see cref="Id"/>; consumers compare references to notice the change (a muxer starts a new init segment).
/// </summary>
public sealed record MediaTrack
{
    /// <summary>Index of the track within its stream, 0-based, stable for the life of the connection.</summary>
    public required int Id { get; init; }

    public required MediaCodec Codec { get; init; }

    /// <summary>Units of <see cref="MediaFrame.Dts"/> per second: 90000 for video, the sample rate for audio.</summary>
    public required int ClockRate { get; init; }

    public MediaKind Kind => Codec is MediaCodec.H264 or MediaCodec.H265 ? MediaKind.Video : MediaKind.Audio;

    // ---- video ----

    /// <summary>H.265 video parameter set (no start code), or null.</summary>
    public byte[]? Vps { get; init; }

    /// <summary>Sequence parameter set (no start code), or null until one has been seen.</summary>
    public byte[]? Sps { get; init; }

    /// <summary>Picture parameter set (no start code), or null until one has been seen.</summary>
    public byte[]? Pps { get; init; }

    /// <summary>Coded picture size from the SPS (cropping applied); 0 when unknown.</summary>
    public int Width { get; init; }

    public int Height { get; init; }

    // ---- audio ----

    /// <summary>AAC AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1), from the SDP <c>config=</c>.</summary>
    public byte[]? AudioSpecificConfig { get; init; }

    public int SampleRate { get; init; }

    public int Channels { get; init; }

    /// <summary>True when a muxer has everything it needs to write this track's sample entry.</summary>
    public bool IsReady => Codec switch
    {
        MediaCodec.H264 => Sps is not null && Pps is not null,
        MediaCodec.H265 => Vps is not null && Sps is not null && Pps is not null,
        MediaCodec.Aac => AudioSpecificConfig is not null,
        MediaCodec.Pcmu or MediaCodec.Pcma or MediaCodec.Opus => SampleRate > 0,
        _ => false,
    };
}
