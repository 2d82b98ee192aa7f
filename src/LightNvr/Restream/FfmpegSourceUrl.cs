using System.Globalization;

namespace LightNvr.Restream;

/// <summary>
/// A stream source that an ffmpeg child process turns into H.264 published into our own RTSP server (go2rtc's
/// <c>ffmpeg:</c> sources, which go2rtc also runs as ffmpeg publishing to itself):
/// <list type="bullet">
/// <item><c>ffmpeg:INPUT[#video=copy|h264][#audio=none|copy|aac|opus][#input=file]</c>: go2rtc's syntax; INPUT is
/// anything ffmpeg reads (a URL, a device, a file); a local file is read in real time and looped.</item>
/// <item><c>http://</c> and <c>https://</c> cameras: MJPEG (or any stream ffmpeg reads over HTTP), encoded to H.264.</item>
/// <item><c>rtsps://</c> cameras: RTSP over TLS, copied as they are; ffmpeg does not check the certificate (cameras
/// ship self-signed ones).</item>
/// </list>
/// Plain <c>rtsp://</c> stays with the built-in client. Defaults: video is copied for <c>ffmpeg:</c> and <c>rtsps</c>,
/// encoded for HTTP; audio is dropped unless asked for.
/// </summary>
public sealed record FfmpegSourceUrl(string Input, string Video, string Audio, bool IsFile)
{
    public const string Scheme = "ffmpeg:";

    private static readonly string[] Videos = ["copy", "h264"];
    private static readonly string[] Audios = ["none", "copy", "aac", "opus"];

    /// <summary>True for a URL this class handles (whether or not its options are valid).</summary>
    public static bool Handles(string url) =>
        url.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
        || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || url.StartsWith("rtsps://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a source; null with a message a user can act on when it is not one or its options are wrong.</summary>
    public static FfmpegSourceUrl? Parse(string url, out string error)
    {
        error = "";
        if (!url.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            if (!Handles(url))
            {
                error = "not an ffmpeg:, http(s):// or rtsps:// source";
                return null;
            }

            var http = !url.StartsWith("rtsps://", StringComparison.OrdinalIgnoreCase);
            return new FfmpegSourceUrl(url, http ? "h264" : "copy", "none", IsFile: false);
        }

        var parts = url[Scheme.Length..].Split('#');
        var (video, audio, file) = ("copy", "none", false);
        foreach (var option in parts.Skip(1))
        {
            var (key, value) = option.IndexOf('=', StringComparison.Ordinal) is var eq and > 0
                ? (option[..eq], option[(eq + 1)..]) : (option, "");
            switch (key)
            {
                case "video" when Videos.Contains(value):
                    video = value;
                    break;
                case "audio" when Audios.Contains(value):
                    audio = value;
                    break;
                case "input" when value == "file":
                    file = true;
                    break;
                default:
                    error = $"unknown ffmpeg: option '#{option}' (video={string.Join('|', Videos)}, audio={string.Join('|', Audios)}, input=file)";
                    return null;
            }
        }

        var input = parts[0];
        if (input.Length == 0 || input.Any(char.IsControl))
        {
            error = "ffmpeg: needs an input, e.g. ffmpeg:rtsp://host/stream#video=h264 or ffmpeg:/path/file.mp4";
            return null;
        }

        return new FfmpegSourceUrl(input, video, audio, file || input.StartsWith('/'));
    }

    /// <summary>ffmpeg's arguments, publishing to <paramref name="publishUrl"/> (holds a credential: never log it unredacted).</summary>
    public IReadOnlyList<string> Arguments(string publishUrl)
    {
        var args = new List<string> { "-hide_banner", "-nostdin", "-v", "error" };
        if (IsFile)
        {
            args.AddRange(["-re", "-stream_loop", "-1"]); // a file plays in real time, over and over, like a camera
        }
        else if (Input.StartsWith("rtsp", StringComparison.OrdinalIgnoreCase))
        {
            args.AddRange(["-rtsp_transport", "tcp"]);
        }

        args.AddRange(["-i", Input, "-map", "0:v:0"]);
        args.AddRange(Video == "copy"
            ? ["-c:v", "copy"]
            : ["-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-bf", "0", "-pix_fmt", "yuv420p",
               "-g", GopFrames.ToString(CultureInfo.InvariantCulture), "-force_key_frames", "expr:gte(t,n_forced*2)"]);
        if (Audio != "none")
        {
            args.AddRange(["-map", "0:a:0?", "-c:a", Audio == "copy" ? "copy" : Audio == "aac" ? "aac" : "libopus"]);
        }

        args.AddRange(["-f", "rtsp", "-rtsp_transport", "tcp", publishUrl]);
        return args;
    }

    /// <summary>Keyframe interval of an encoded source at 25 fps: 2 s, like the demo camera; forced by time as well.</summary>
    private const int GopFrames = 50;
}
