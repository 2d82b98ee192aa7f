using LightNvr.Media;
using LightNvr.Media.Codecs;

namespace LightNvr.Live;

/// <summary>
/// Picks the tracks a client can play from the codec list it sent (go2rtc's MSE request value: RFC 6381 strings such
/// as <c>avc1.640029,hvc1.1.6.L153.B0,mp4a.40.2,opus</c>): the first playable video track and the first playable
/// audio track. A codec family is accepted when any listed string names it (<c>avc1</c>/<c>avc3</c> → H.264,
/// <c>hvc1</c>/<c>hev1</c> → H.265, <c>mp4a.40</c> → AAC); nothing is transcoded, so G.711 is never sent to a browser.
/// </summary>
public static class CodecNegotiation
{
    /// <summary>What go2rtc's player offers when the client sends no list (video-rtc.js CODECS, without flac/opus).</summary>
    public const string DefaultBrowserCodecs = "avc1.640029,avc1.64002A,avc1.640033,hvc1.1.6.L153.B0,mp4a.40.2,mp4a.40.5";

    /// <summary>Tracks to send, video first; empty when nothing matches.</summary>
    public static IReadOnlyList<MediaTrack> Select(IReadOnlyList<MediaTrack> tracks, string? accepted)
    {
        var list = (string.IsNullOrWhiteSpace(accepted) ? DefaultBrowserCodecs : accepted)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var video = tracks.FirstOrDefault(t => t.Kind == MediaKind.Video && Playable(t, list));
        var audio = tracks.FirstOrDefault(t => t.Kind == MediaKind.Audio && Playable(t, list));
        return new[] { video, audio }.OfType<MediaTrack>().ToArray();
    }

    /// <summary>Every track our fMP4 muxer can write (progressive MP4 for players such as ffmpeg and VLC).</summary>
    public static IReadOnlyList<MediaTrack> Muxable(IReadOnlyList<MediaTrack> tracks)
    {
        var video = tracks.FirstOrDefault(t => t.Kind == MediaKind.Video && t.IsReady);
        var audio = tracks.FirstOrDefault(t => t.Kind == MediaKind.Audio && t.IsReady
            && t.Codec is MediaCodec.Aac or MediaCodec.Pcmu or MediaCodec.Pcma);
        return new[] { video, audio }.OfType<MediaTrack>().ToArray();
    }

    /// <summary>The answer's MIME type: <c>video/mp4; codecs="avc1.64001F,mp4a.40.2"</c>.</summary>
    public static string MimeType(IReadOnlyList<MediaTrack> tracks) => $"video/mp4; codecs=\"{CodecString.For(tracks)}\"";

    /// <summary>A clear reason for a client that cannot play this stream.</summary>
    public static string Explain(IReadOnlyList<MediaTrack> tracks, string? accepted)
    {
        var video = tracks.Where(t => t.Kind == MediaKind.Video).Select(t => t.Codec.ToString()).ToArray();
        return video.Length == 0
            ? "stream has no video track"
            : $"no playable video: the stream carries {string.Join(", ", video)} and the client accepts " +
              $"{(string.IsNullOrWhiteSpace(accepted) ? "the default browser codecs" : accepted)}";
    }

    private static bool Playable(MediaTrack track, string[] accepted)
    {
        if (!track.IsReady)
        {
            return false;
        }

        string[] prefixes = track.Codec switch
        {
            MediaCodec.H264 => ["avc1", "avc3"],
            MediaCodec.H265 => ["hvc1", "hev1"],
            MediaCodec.Aac => ["mp4a.40"],
            _ => [],
        };
        return accepted.Any(a => prefixes.Any(p => a.StartsWith(p, StringComparison.OrdinalIgnoreCase)));
    }
}
