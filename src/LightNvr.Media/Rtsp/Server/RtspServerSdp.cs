using System.Globalization;
using System.Text;
using LightNvr.Media.Rtp;

namespace LightNvr.Media.Rtsp.Server;

/// <summary>
/// The session description a DESCRIBE answers (RFC 8866 §5, RFC 2326 §C.1), generated from a hub's tracks:
/// H.264 (RFC 6184 §8.1: packetization-mode=1, profile-level-id, sprop-parameter-sets), H.265 (RFC 7798 §7.1:
/// sprop-vps/sps/pps), AAC as mpeg4-generic AAC-hbr (RFC 3640 §4.1), G.711 with the static payload types 0/8 at
/// 8 kHz (RFC 3551 §6). Each media has <c>a=control:trackID=N</c>, N being the hub's track id.
/// Tracks that cannot be packetized (Opus, unknown, or video without parameter sets) are left out.
/// </summary>
public static class RtspServerSdp
{
    /// <summary>First dynamic payload type (RFC 3551 §3); track N gets 96 + N.</summary>
    public const int FirstDynamicPayloadType = 96;

    /// <summary>The payload type a track is sent with.</summary>
    public static byte PayloadTypeOf(MediaTrack track) => track.Codec switch
    {
        MediaCodec.Pcmu when track.SampleRate is 8000 or 0 => 0,
        MediaCodec.Pcma when track.SampleRate is 8000 or 0 => 8,
        _ => (byte)(FirstDynamicPayloadType + Math.Clamp(track.Id, 0, 31)),
    };

    /// <summary>True when the server can send this track and describe it.</summary>
    public static bool CanSend(MediaTrack track) => track.Codec switch
    {
        MediaCodec.H264 or MediaCodec.H265 => track.IsReady,
        MediaCodec.Aac => track.AudioSpecificConfig is not null,
        MediaCodec.Pcmu or MediaCodec.Pcma => true,
        _ => false,
    };

    /// <summary>A new packetizer for a track, or null when <see cref="CanSend"/> is false.</summary>
    public static RtpPacketizer? CreatePacketizer(MediaTrack track, uint ssrc, ushort sequence, uint timestamp)
    {
        var pt = PayloadTypeOf(track);
        return track.Codec switch
        {
            MediaCodec.H264 => new H264Packetizer(pt, ssrc, sequence, timestamp),
            MediaCodec.H265 => new H265Packetizer(pt, ssrc, sequence, timestamp),
            MediaCodec.Aac => new AacPacketizer(pt, ssrc, sequence, timestamp),
            MediaCodec.Pcmu or MediaCodec.Pcma => new G711Packetizer(pt, ssrc, sequence, timestamp),
            _ => null,
        };
    }

    /// <param name="tracks">The tracks to describe (each must pass <see cref="CanSend"/>).</param>
    /// <param name="sessionName">The stream name (s= line).</param>
    /// <param name="sessionId">A number for the o= line.</param>
    /// <param name="serverAddress">The server's address as the client reached it (o= line).</param>
    public static string Build(IReadOnlyList<MediaTrack> tracks, string sessionName, long sessionId, string serverAddress)
    {
        var ipVersion = serverAddress.Contains(':', StringComparison.Ordinal) ? "IP6" : "IP4";
        var sb = new StringBuilder();
        Line(sb, "v=0");
        Line(sb, $"o=- {sessionId} 1 IN {ipVersion} {serverAddress}");
        Line(sb, $"s={(sessionName.Length == 0 ? "-" : sessionName)}");
        Line(sb, $"c=IN {ipVersion} {(ipVersion == "IP6" ? "::" : "0.0.0.0")}");
        Line(sb, "t=0 0");
        Line(sb, "a=tool:LightNVR");
        Line(sb, "a=range:npt=0-");
        Line(sb, "a=control:*");
        foreach (var track in tracks)
        {
            AppendMedia(sb, track);
        }

        return sb.ToString();
    }

    private static void AppendMedia(StringBuilder sb, MediaTrack track)
    {
        var pt = PayloadTypeOf(track);
        var kind = track.Kind == MediaKind.Video ? "video" : "audio";
        Line(sb, $"m={kind} 0 RTP/AVP {pt}");
        switch (track.Codec)
        {
            case MediaCodec.H264:
                Line(sb, $"a=rtpmap:{pt} H264/90000");
                var sps = track.Sps!;
                var profile = sps.Length >= 4 ? Convert.ToHexString(sps.AsSpan(1, 3)) : "42E01F";
                Line(sb, $"a=fmtp:{pt} packetization-mode=1;profile-level-id={profile};sprop-parameter-sets=" +
                         SpropParameterSets.Encode([sps, track.Pps!]));
                break;
            case MediaCodec.H265:
                Line(sb, $"a=rtpmap:{pt} H265/90000");
                Line(sb, $"a=fmtp:{pt} sprop-vps={Convert.ToBase64String(track.Vps!)};" +
                         $"sprop-sps={Convert.ToBase64String(track.Sps!)};sprop-pps={Convert.ToBase64String(track.Pps!)}");
                break;
            case MediaCodec.Aac:
                var channels = Math.Max(1, track.Channels);
                Line(sb, $"a=rtpmap:{pt} MPEG4-GENERIC/{track.ClockRate}/{channels}");
                Line(sb, $"a=fmtp:{pt} {AacPacketizer.Fmtp(track.AudioSpecificConfig!)}");
                break;
            case MediaCodec.Pcmu or MediaCodec.Pcma:
                var name = track.Codec == MediaCodec.Pcmu ? "PCMU" : "PCMA";
                Line(sb, $"a=rtpmap:{pt} {name}/{track.ClockRate}");
                break;
        }

        Line(sb, $"a=control:trackID={track.Id.ToString(CultureInfo.InvariantCulture)}");
    }

    private static void Line(StringBuilder sb, string line) => sb.Append(line).Append("\r\n");
}
