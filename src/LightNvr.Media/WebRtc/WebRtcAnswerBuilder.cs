using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using LightNvr.Media.Rtp;
using LightNvr.Media.Sdp;

namespace LightNvr.Media.WebRtc;

/// <summary>
/// Answers a browser's WebRTC offer (JSEP, RFC 8829 §5.3) for a send-only server: one BUNDLE transport
/// (RFC 8843), rtcp-mux (RFC 5761), ICE-lite (RFC 8445 §2.5) with host candidates, DTLS role passive
/// (<c>a=setup:passive</c>, RFC 5763 §5). Video: the offer's H.264 format with packetization-mode=1 (RFC 6184 §8.1)
/// whose profile matches the camera's SPS, else the first mode-1 H.264 format; NACK, PLI and FIR feedback kept.
/// Audio: PCMU or PCMA when the camera sends it and the offer lists it (passed through); an AAC camera's audio as
/// Opus (RFC 7587, <c>opus/48000/2</c>) when the caller transcodes it and the offer lists Opus. Sections the server
/// cannot serve are answered <c>a=inactive</c> (media) or rejected with port 0 (data channels).
/// </summary>
public static class WebRtcAnswerBuilder
{
    /// <summary>Longest offer read: a browser's offer with every codec is 5–10 KB; the SDP parser's own cap applies.</summary>
    public const int MaxOfferLength = SdpLimits.MaxLength;

    /// <summary>
    /// Checks an offer before any camera is touched: null when usable, else the refusal (400 malformed or missing
    /// ICE credentials or fingerprint, 415 no H.264 with packetization-mode=1).
    /// </summary>
    public static WebRtcNegotiation? CheckOffer(string offer) => Parse(offer, out _) is { Ok: false } refusal ? refusal : null;

    /// <param name="opusForAac">
    /// True when the server transcodes AAC to Opus for WebRTC (<c>[go2rtc] webrtc_aac_audio = opus</c>): an AAC
    /// camera's audio is answered as the offer's <c>opus/48000/2</c>, its plan's track id
    /// <see cref="WebRtcMediaPlan.TranscodedTrackId"/> (fed by the transcoder, not the hub).
    /// </param>
    /// <param name="acceptTalk">
    /// True when this viewer may talk to the camera (ONVIF backchannel, <c>backchannel_enabled</c>, an allowed role):
    /// an offered <c>sendrecv</c> audio section is answered <c>a=sendrecv</c> (or <c>a=recvonly</c> when the server
    /// sends no audio; then PCMU, else PCMA, else Opus is chosen) and <see cref="WebRtcNegotiation.Talk"/> says what
    /// the browser's microphone arrives as.
    /// </param>
    public static WebRtcNegotiation Negotiate(string offer, IReadOnlyList<MediaTrack> tracks, WebRtcLocalParameters local,
        bool opusForAac = false, bool acceptTalk = false)
    {
        var parsed = Parse(offer, out var session);
        if (!parsed.Ok)
        {
            return parsed;
        }

        var ufrag = parsed.RemoteUfrag;
        var pwd = parsed.RemotePwd;
        var algorithm = parsed.FingerprintAlgorithm;
        var digest = parsed.Fingerprint;
        var video = tracks.FirstOrDefault(t => t.Kind == MediaKind.Video);
        var audio = tracks.FirstOrDefault(t => t.Codec is MediaCodec.Pcmu or MediaCodec.Pcma) ??
            (opusForAac ? tracks.FirstOrDefault(t => t.Codec == MediaCodec.Aac && t.AudioSpecificConfig is not null) : null);
        if (video is null || video.Codec != MediaCodec.H264)
        {
            return WebRtcNegotiation.Refuse(415, video is null
                ? "the stream has no video"
                : $"the stream carries {video.Codec}: not playable over WebRTC in this browser (use MSE or HLS)");
        }

        var plans = new List<WebRtcMediaPlan>();
        WebRtcTalkPlan? talk = null;
        var sections = new List<string>();
        var bundle = new List<string>();
        var ssrcBase = (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);
        var index = 0;
        foreach (var m in session.Media)
        {
            var mid = m.GetAttribute("mid") ?? index.ToString(CultureInfo.InvariantCulture);
            index++;
            if (m.Media is not ("video" or "audio") || !m.Protocol.Contains("RTP/SAVPF", StringComparison.Ordinal))
            {
                sections.Add(Rejected(m, mid));
                continue;
            }

            var formats = m.GetPayloadFormats();
            var wantsToReceive = Direction(m) is "recvonly" or "sendrecv";
            WebRtcMediaPlan? plan = null;
            RtpPayloadFormat? chosen = null;
            if (m.Media == "video" && wantsToReceive && !plans.Any(p => p.Kind == MediaKind.Video))
            {
                chosen = ChooseH264(formats, video);
                if (chosen is not null)
                {
                    plan = new WebRtcMediaPlan(mid, MediaKind.Video, MediaCodec.H264, chosen.PayloadType, 90000,
                        ssrcBase, video.Id);
                }
            }
            else if (m.Media == "audio" && wantsToReceive && audio?.Codec == MediaCodec.Aac && !plans.Any(p => p.Kind == MediaKind.Audio))
            {
                // RFC 7587 §7: opus is always signalled as opus/48000/2, whatever the channels sent.
                chosen = formats.FirstOrDefault(f => f.EncodingName.Equals("opus", StringComparison.OrdinalIgnoreCase) &&
                    f.ClockRate == 48000 && f.Channels == 2);
                if (chosen is not null)
                {
                    plan = new WebRtcMediaPlan(mid, MediaKind.Audio, MediaCodec.Opus, chosen.PayloadType, 48000,
                        ssrcBase + 1, WebRtcMediaPlan.TranscodedTrackId);
                }
            }
            else if (m.Media == "audio" && wantsToReceive && audio is not null && !plans.Any(p => p.Kind == MediaKind.Audio))
            {
                var name = audio.Codec == MediaCodec.Pcmu ? "PCMU" : "PCMA";
                chosen = formats.FirstOrDefault(f => f.EncodingName.Equals(name, StringComparison.OrdinalIgnoreCase) && f.ClockRate == 8000);
                if (chosen is not null)
                {
                    plan = new WebRtcMediaPlan(mid, MediaKind.Audio, audio.Codec, chosen.PayloadType, 8000, ssrcBase + 1,
                        audio.Id);
                }
            }

            var direction = plan is null ? "inactive" : "sendonly";
            if (m.Media == "audio" && acceptTalk && talk is null && Direction(m) == "sendrecv")
            {
                chosen ??= TalkFormat(formats);
                if (chosen is not null && TalkCodec(chosen) is { } codec)
                {
                    talk = new WebRtcTalkPlan(mid, chosen.PayloadType, codec);
                    direction = plan is null ? "recvonly" : "sendrecv";
                }
            }

            if (plan is not null)
            {
                plans.Add(plan);
            }

            sections.Add(Section(m, mid, plan, chosen ?? formats.FirstOrDefault(), local, direction));
            bundle.Add(mid);
        }

        if (!plans.Any(p => p.Kind == MediaKind.Video))
        {
            return WebRtcNegotiation.Refuse(415, "the offer has no video section that can receive H.264 (recvonly or sendrecv)");
        }

        var sb = new StringBuilder();
        sb.Append("v=0\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"o=- {local.SessionId} 2 IN IP4 127.0.0.1\r\n");
        sb.Append("s=LightNVR\r\nt=0 0\r\n");
        sb.Append("a=group:BUNDLE ").Append(string.Join(' ', bundle)).Append("\r\n");
        sb.Append("a=ice-lite\r\n");
        sb.Append("a=msid-semantic: WMS lightnvr\r\n");
        foreach (var s in sections)
        {
            sb.Append(s);
        }

        return new WebRtcNegotiation
        {
            Answer = sb.ToString(),
            RemoteUfrag = ufrag,
            RemotePwd = pwd,
            FingerprintAlgorithm = algorithm,
            Fingerprint = digest,
            Media = plans,
            Talk = talk,
        };
    }

    /// <summary>What the browser's microphone is received as: PCMU, else PCMA (no transcoding for a G.711 backchannel), else Opus.</summary>
    private static RtpPayloadFormat? TalkFormat(IReadOnlyList<RtpPayloadFormat> formats) =>
        formats.FirstOrDefault(f => f.EncodingName.Equals("PCMU", StringComparison.OrdinalIgnoreCase) && f.ClockRate == 8000) ??
        formats.FirstOrDefault(f => f.EncodingName.Equals("PCMA", StringComparison.OrdinalIgnoreCase) && f.ClockRate == 8000) ??
        formats.FirstOrDefault(f => f.EncodingName.Equals("opus", StringComparison.OrdinalIgnoreCase) && f.ClockRate == 48000);

    private static MediaCodec? TalkCodec(RtpPayloadFormat f) => f.EncodingName.ToUpperInvariant() switch
    {
        "PCMU" => MediaCodec.Pcmu,
        "PCMA" => MediaCodec.Pcma,
        "OPUS" => MediaCodec.Opus,
        _ => null,
    };

    private static WebRtcNegotiation Parse(string offer, out SdpSessionDescription session)
    {
        session = null!;
        if (string.IsNullOrWhiteSpace(offer))
        {
            return WebRtcNegotiation.Refuse(400, "empty SDP offer");
        }

        if (offer.Length > MaxOfferLength)
        {
            return WebRtcNegotiation.Refuse(400, $"SDP offer longer than {MaxOfferLength} bytes");
        }

        if (!SdpSessionDescription.TryParse(offer, out var parsed, out var parseError) || parsed is null)
        {
            return WebRtcNegotiation.Refuse(400, "malformed SDP offer: " + parseError);
        }

        session = parsed;

        if (session.Media.Count == 0)
        {
            return WebRtcNegotiation.Refuse(400, "SDP offer has no media sections");
        }

        var ufrag = session.GetAttribute("ice-ufrag") ?? session.Media.Select(m => m.GetAttribute("ice-ufrag")).FirstOrDefault(v => v is not null);
        var pwd = session.GetAttribute("ice-pwd") ?? session.Media.Select(m => m.GetAttribute("ice-pwd")).FirstOrDefault(v => v is not null);
        var fingerprint = session.GetAttribute("fingerprint") ?? session.Media.Select(m => m.GetAttribute("fingerprint")).FirstOrDefault(v => v is not null);
        if (string.IsNullOrEmpty(ufrag) || string.IsNullOrEmpty(pwd))
        {
            return WebRtcNegotiation.Refuse(400, "SDP offer has no a=ice-ufrag/a=ice-pwd");
        }

        if (!TryParseFingerprint(fingerprint, out var algorithm, out var digest))
        {
            return WebRtcNegotiation.Refuse(400, "SDP offer has no usable a=fingerprint (sha-256 expected)");
        }

        var offeredH264 = session.Media.Any(m => m.Media == "video" && m.GetPayloadFormats().Any(IsH264Mode1));
        if (!offeredH264)
        {
            return WebRtcNegotiation.Refuse(415, "the offer has no H.264 with packetization-mode=1: this server sends the camera's H.264 as is");
        }

        return new WebRtcNegotiation
        {
            Answer = "",
            RemoteUfrag = ufrag,
            RemotePwd = pwd,
            FingerprintAlgorithm = algorithm,
            Fingerprint = digest,
        };
    }

    /// <summary>RFC 8122 §5: <c>a=fingerprint:sha-256 AB:CD:…</c>.</summary>
    public static bool TryParseFingerprint(string? value, out string algorithm, out byte[] digest)
    {
        algorithm = "";
        digest = [];
        var parts = value?.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        if (parts is not { Length: 2 } || !parts[0].Equals("sha-256", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            digest = Convert.FromHexString(parts[1].Replace(":", "", StringComparison.Ordinal));
        }
        catch (FormatException)
        {
            return false;
        }

        algorithm = "sha-256";
        return digest.Length == 32;
    }

    /// <summary>RFC 8122 §5's form of a SHA-256 digest: upper-case hex pairs joined by colons.</summary>
    public static string FormatFingerprint(ReadOnlySpan<byte> sha256) =>
        "sha-256 " + string.Join(':', sha256.ToArray().Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));

    private static bool IsH264Mode1(RtpPayloadFormat f) =>
        f.EncodingName.Equals("H264", StringComparison.OrdinalIgnoreCase) && f.ClockRate == 90000 &&
        f.Fmtp.TryGetValue("packetization-mode", out var mode) && mode.Trim() == "1";

    /// <summary>The mode-1 H.264 format whose profile_idc (RFC 6184 §8.1 profile-level-id) is the camera's, else the first.</summary>
    private static RtpPayloadFormat? ChooseH264(IReadOnlyList<RtpPayloadFormat> formats, MediaTrack video)
    {
        var candidates = formats.Where(IsH264Mode1).ToList();
        if (video.Sps is { Length: >= 2 } sps)
        {
            var profile = sps[1].ToString("x2", CultureInfo.InvariantCulture);
            var match = candidates.FirstOrDefault(f => f.Fmtp.TryGetValue("profile-level-id", out var id) &&
                id.StartsWith(profile, StringComparison.OrdinalIgnoreCase));
            if (match is not null)
            {
                return match;
            }
        }

        return candidates.FirstOrDefault();
    }

    private static string Direction(SdpMediaDescription m) =>
        m.Attributes.FirstOrDefault(a => a.Name is "sendrecv" or "sendonly" or "recvonly" or "inactive")?.Name ?? "sendrecv";

    private static string Rejected(SdpMediaDescription m, string mid) =>
        $"m={m.Media} 0 {m.Protocol} {(m.Formats.Count > 0 ? m.Formats[0] : "0")}\r\nc=IN IP4 0.0.0.0\r\na=mid:{mid}\r\n";

    private static string Section(SdpMediaDescription m, string mid, WebRtcMediaPlan? plan, RtpPayloadFormat? format,
        WebRtcLocalParameters local, string direction)
    {
        var sb = new StringBuilder();
        var pt = format?.PayloadType.ToString(CultureInfo.InvariantCulture) ?? (m.Formats.Count > 0 ? m.Formats[0] : "0");
        sb.Append(CultureInfo.InvariantCulture, $"m={m.Media} 9 {m.Protocol} {pt}\r\n");
        sb.Append("c=IN IP4 0.0.0.0\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"a=mid:{mid}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"a=ice-ufrag:{local.IceUfrag}\r\na=ice-pwd:{local.IcePwd}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"a=fingerprint:{local.Fingerprint}\r\n");
        sb.Append("a=setup:passive\r\n");
        sb.Append("a=").Append(direction).Append("\r\n");
        sb.Append("a=rtcp-mux\r\n");
        if (format is not null)
        {
            var channels = format.Channels > 1 ? "/" + format.Channels.ToString(CultureInfo.InvariantCulture) : "";
            sb.Append(CultureInfo.InvariantCulture, $"a=rtpmap:{pt} {format.EncodingName}/{format.ClockRate}{channels}\r\n");
            if (plan?.Kind == MediaKind.Video)
            {
                sb.Append(CultureInfo.InvariantCulture, $"a=rtcp-fb:{pt} nack\r\na=rtcp-fb:{pt} nack pli\r\na=rtcp-fb:{pt} ccm fir\r\n");
            }

            if (format.Fmtp.Count > 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"a=fmtp:{pt} ")
                    .Append(string.Join(';', format.Fmtp.Select(kv => kv.Key + "=" + kv.Value))).Append("\r\n");
            }
        }

        if (plan is not null)
        {
            var label = plan.Kind == MediaKind.Video ? "video" : "audio";
            sb.Append(CultureInfo.InvariantCulture, $"a=msid:lightnvr {label}\r\n");
            sb.Append(CultureInfo.InvariantCulture, $"a=ssrc:{plan.Ssrc} cname:lightnvr\r\n");
            sb.Append(CultureInfo.InvariantCulture, $"a=ssrc:{plan.Ssrc} msid:lightnvr {label}\r\n");
        }

        var foundation = 1;
        foreach (var c in local.Candidates)
        {
            // RFC 8445 §5.1.2.1: priority = 2^24·type preference (126 host) + 2^8·local preference + (256 − component).
            var localPreference = 65535 - foundation;
            var priority = (126L << 24) + (localPreference << 8) + 255;
            var address = c.Address.AddressFamily == AddressFamily.InterNetworkV6 ? c.Address.ToString() : c.Address.ToString();
            sb.Append(CultureInfo.InvariantCulture, $"a=candidate:{foundation} 1 udp {priority} {address} {c.Port} typ host\r\n");
            foundation++;
        }

        foreach (var c in local.ExtraCandidates)
        {
            // Type preferences: srflx 100 (RFC 8445 §5.1.2.2); TCP host 90, below UDP (RFC 6544 §4.2).
            var localPreference = 65535 - foundation;
            if (c.Kind == IceCandidateKind.ServerReflexive)
            {
                var priority = (100L << 24) + (localPreference << 8) + 255;
                var related = c.Related ?? new IPEndPoint(IPAddress.Any, 0);
                sb.Append(CultureInfo.InvariantCulture,
                    $"a=candidate:{foundation} 1 udp {priority} {c.Address.Address} {c.Address.Port} typ srflx raddr {related.Address} rport {related.Port}\r\n");
            }
            else
            {
                var priority = (90L << 24) + (localPreference << 8) + 255;
                sb.Append(CultureInfo.InvariantCulture,
                    $"a=candidate:{foundation} 1 tcp {priority} {c.Address.Address} {c.Address.Port} typ host tcptype passive\r\n");
            }

            foundation++;
        }

        sb.Append("a=end-of-candidates\r\n");
        return sb.ToString();
    }
}
