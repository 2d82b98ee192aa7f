using System.Globalization;
using LightNvr.Media.Rtp;
using LightNvr.Media.Sdp;

namespace LightNvr.Media.Rtsp;

/// <summary>
/// One media of the session we set up: its SDP format, control URL, transport channels and reception state.
/// </summary>
internal sealed class RtspTrack
{
    private RtspTrack(int id, RtpPayloadFormat format, string controlUrl, MediaTrack track, TimeProvider time)
    {
        Id = id;
        Format = format;
        ControlUrl = controlUrl;
        Track = track;
        Reception = new RtpReceptionStatistics(format.ClockRate, time);
    }

    public int Id { get; }

    public RtpPayloadFormat Format { get; }

    public string ControlUrl { get; }

    public MediaTrack Track { get; }

    public RtpReceptionStatistics Reception { get; }

    public IRtpTrackDepacketizer? Depacketizer { get; set; }

    public RtspUdpPortPair? Udp { get; set; }

    /// <summary>Where to send our RTCP when on UDP: the camera's RTCP port from <c>server_port</c>.</summary>
    public System.Net.IPEndPoint? ServerRtcp { get; set; }

    public long Packets;

    /// <summary>
    /// A track for the first payload format of <paramref name="media"/> whose codec we carry, or null (the media is
    /// then skipped: metadata streams, ONVIF backchannels, MJPEG).
    /// </summary>
    public static RtspTrack? TryCreate(int id, SdpMediaDescription media, string baseUrl, TimeProvider time)
    {
        if (media.Port == 0 && media.Formats.Count == 0)
        {
            return null;
        }

        foreach (var format in media.GetPayloadFormats())
        {
            if (ToMediaTrack(id, format) is { } track)
            {
                return new RtspTrack(id, format, RtspUrl.ResolveControl(baseUrl, media.Control), track, time);
            }
        }

        return null;
    }

    /// <summary>The <see cref="MediaTrack"/> an SDP payload format announces, parameter sets from <c>sprop-*</c>.</summary>
    public static MediaTrack? ToMediaTrack(int id, RtpPayloadFormat format)
    {
        var name = format.EncodingName.ToUpperInvariant();
        switch (name)
        {
            case "H264":
                // RFC 6184 §8.1: sprop-parameter-sets=<base64 SPS>,<base64 PPS>[,...]
                var sets = Split(format, "sprop-parameter-sets");
                return new MediaTrack
                {
                    Id = id, Codec = MediaCodec.H264, ClockRate = format.ClockRate,
                    Sps = FindNal(sets, t => (t[0] & 0x1F) == 7), Pps = FindNal(sets, t => (t[0] & 0x1F) == 8),
                };
            case "H265":
            case "HEVC":
                // RFC 7798 §7.1: sprop-vps, sprop-sps, sprop-pps.
                return new MediaTrack
                {
                    Id = id, Codec = MediaCodec.H265, ClockRate = format.ClockRate,
                    Vps = FirstOf(Split(format, "sprop-vps")), Sps = FirstOf(Split(format, "sprop-sps")),
                    Pps = FirstOf(Split(format, "sprop-pps")),
                };
            case "MPEG4-GENERIC":
                // RFC 3640 §4.1: config is the hex AudioSpecificConfig; only AAC modes are carried.
                var mode = format.Fmtp.GetValueOrDefault("mode", "");
                if (!mode.StartsWith("AAC", StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }

                return new MediaTrack
                {
                    Id = id, Codec = MediaCodec.Aac, ClockRate = format.ClockRate, SampleRate = format.ClockRate,
                    Channels = format.Channels, AudioSpecificConfig = Hex(format.Fmtp.GetValueOrDefault("config")),
                };
            case "PCMU":
            case "PCMA":
                return new MediaTrack
                {
                    Id = id, Codec = name == "PCMU" ? MediaCodec.Pcmu : MediaCodec.Pcma, ClockRate = format.ClockRate,
                    SampleRate = format.ClockRate, Channels = format.Channels,
                };
            case "OPUS":
                return new MediaTrack
                {
                    Id = id, Codec = MediaCodec.Opus, ClockRate = format.ClockRate, SampleRate = format.ClockRate,
                    Channels = format.Channels,
                };
            default:
                return null;
        }
    }

    private static List<byte[]> Split(RtpPayloadFormat format, string key)
    {
        var result = new List<byte[]>();
        if (format.Fmtp.TryGetValue(key, out var value))
        {
            foreach (var item in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var buffer = new byte[item.Length];
                if (Convert.TryFromBase64String(item, buffer, out var n) && n > 0)
                {
                    result.Add(buffer[..n]);
                }
            }
        }

        return result;
    }

    private static byte[]? FindNal(List<byte[]> nals, Func<byte[], bool> predicate) => nals.Find(n => predicate(n));

    private static byte[]? FirstOf(List<byte[]> nals) => nals.Count > 0 ? nals[0] : null;

    private static byte[]? Hex(string? hex)
    {
        if (string.IsNullOrEmpty(hex) || hex.Length % 2 != 0)
        {
            return null;
        }

        var bytes = new byte[hex.Length / 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            if (!byte.TryParse(hex.AsSpan(2 * i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return null;
            }
        }

        return bytes;
    }
}
