using System.Text.Json.Nodes;
using LightNvr.Cameras;
using LightNvr.Media;
using LightNvr.Media.Codecs;
using LightNvr.Media.Streaming;

namespace LightNvr.Live;

/// <summary>
/// go2rtc's <c>GET /api/streams</c> body: an object keyed by stream name, each with <c>producers</c> (the camera
/// connection: url without credentials, remote_addr, medias, receivers with bytes/packets, bytes_recv) and
/// <c>consumers</c> (live viewers with format_name, protocol, remote_addr, user_agent, senders with
/// bytes/packets/drops, bytes_send; in-process consumers such as the recorder with their queue stats).
/// </summary>
public static class StreamsJson
{
    /// <summary>Hub subscription names of live viewers (shown from <see cref="LiveConsumer"/> instead).</summary>
    public static readonly IReadOnlySet<string> ViewerFormats = new HashSet<string>(StringComparer.Ordinal)
    {
        LiveFormats.Mse, LiveFormats.Mp4, LiveFormats.Hls, LiveFormats.Jpeg,
    };

    public static JsonObject All(IEnumerable<CameraStream> streams, LiveConsumers consumers)
    {
        var body = new JsonObject();
        foreach (var s in streams)
        {
            body[s.Name] = One(s, consumers);
        }

        return body;
    }

    public static JsonObject One(CameraStream stream, LiveConsumers consumers)
    {
        var hub = stream.Hub;
        var status = stream.Supervisor.Status;
        var producer = new JsonObject
        {
            ["id"] = 1,
            ["format_name"] = "rtsp",
            ["protocol"] = stream.Config.Protocol == 1 ? "rtsp+udp" : "rtsp+tcp",
            ["url"] = CredentialRedaction.Redact(stream.Config.Url),
            ["remote_addr"] = RemoteOf(stream.Config.Url),
            ["state"] = status.State.ToString().ToLowerInvariant(),
            ["medias"] = new JsonArray(hub.Tracks.Select(t => (JsonNode)Media(t, "recvonly")).ToArray()),
            ["receivers"] = new JsonArray(hub.Tracks.Select(t => (JsonNode)new JsonObject
            {
                ["id"] = t.Id,
                ["codec"] = Codec(t),
            }).ToArray()),
            ["bytes_recv"] = hub.BytesIn,
            ["packets_recv"] = hub.FramesIn,
        };
        if (status.Reason is { } reason)
        {
            producer["error"] = reason;
        }

        var list = new JsonArray();
        foreach (var c in consumers.For(stream.Name))
        {
            list.Add(new JsonObject
            {
                ["id"] = c.Id,
                ["format_name"] = c.FormatName,
                ["protocol"] = c.Protocol,
                ["remote_addr"] = c.Remote,
                ["user_agent"] = c.UserAgent,
                ["codecs"] = c.Codecs,
                ["senders"] = new JsonArray(new JsonObject
                {
                    ["bytes"] = c.Bytes, ["packets"] = c.Packets, ["drops"] = c.Drops,
                }),
                ["bytes_send"] = c.Bytes,
            });
        }

        foreach (var s in hub.SubscriptionStats.Where(s => !ViewerFormats.Contains(s.Name)))
        {
            list.Add(new JsonObject
            {
                ["format_name"] = s.Name,
                ["protocol"] = "internal",
                ["remote_addr"] = s.Remote,
                ["senders"] = new JsonArray(new JsonObject
                {
                    ["bytes"] = s.Bytes, ["packets"] = s.Frames, ["drops"] = s.Drops, ["queued"] = s.Queued,
                }),
                ["bytes_send"] = s.Bytes,
            });
        }

        return new JsonObject { ["producers"] = new JsonArray(producer), ["consumers"] = list };
    }

    private static string Media(MediaTrack t, string direction) =>
        $"{(t.Kind == MediaKind.Video ? "video" : "audio")}, {direction}, {t.Codec.ToString().ToUpperInvariant()}";

    private static JsonObject Codec(MediaTrack t)
    {
        var codec = new JsonObject
        {
            ["codec_name"] = t.Codec switch
            {
                MediaCodec.H264 => "h264",
                MediaCodec.H265 => "hevc",
                MediaCodec.Aac => "aac",
                MediaCodec.Pcmu => "pcm_mulaw",
                MediaCodec.Pcma => "pcm_alaw",
                MediaCodec.Opus => "opus",
                _ => "unknown",
            },
            ["codec_type"] = t.Kind == MediaKind.Video ? "video" : "audio",
        };
        if (t.IsReady && t.Codec is MediaCodec.H264 or MediaCodec.H265 or MediaCodec.Aac)
        {
            codec["codec_string"] = CodecString.For(t);
        }

        if (t.Kind == MediaKind.Video && t.Width > 0)
        {
            codec["width"] = t.Width;
            codec["height"] = t.Height;
        }
        else if (t.SampleRate > 0)
        {
            codec["sample_rate"] = t.SampleRate;
            codec["channels"] = t.Channels;
        }

        return codec;
    }

    private static string? RemoteOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) ? $"{u.Host}:{(u.Port > 0 ? u.Port : 554)}" : null;
}
