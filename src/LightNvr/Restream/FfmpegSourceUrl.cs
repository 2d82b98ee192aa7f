using System.Globalization;
using LightNvr.Media.Rtsp;

namespace LightNvr.Restream;

/// <summary>
/// A stream source that an ffmpeg child process turns into H.264 published into our own RTSP server (go2rtc's
/// <c>ffmpeg:</c> sources, which go2rtc also runs as ffmpeg publishing to itself):
/// <list type="bullet">
/// <item><c>ffmpeg:INPUT[#video=copy|h264][#audio=none|copy|aac|opus][#input=file]</c>: go2rtc's syntax; INPUT is
/// anything ffmpeg reads (a URL, a device, a file); a local file is read in real time and looped. An <c>https://</c>
/// input's certificate is checked by ffmpeg under the camera TLS policy (<c>[go2rtc] rtsps_verify_certificate</c>,
/// <c>rtsps_ca_file</c>: ffmpeg's <c>-tls_verify 1 -ca_file</c>); other TLS inputs (<c>rtsps://</c>, <c>rtmps://</c>,
/// <c>tls://</c>) cannot be checked through ffmpeg 5.1 (its RTSP and RTMP clients pass no TLS options down), so they
/// are refused while checking is on (<see cref="TlsRefusal"/>).</item>
/// <item><c>ffmpeg:http(s)://…#input=snapshot[#rate=N]</c>: a camera's JPEG snapshot URL, fetched N times a second
/// (default 1) by <see cref="SnapshotPoller"/> and encoded to H.264 (go2rtc names its input templates with
/// <c>#input=</c> as well).</item>
/// <item><c>http://</c> and <c>https://</c> cameras: MJPEG (or any stream ffmpeg reads over HTTP), encoded to H.264.</item>
/// </list>
/// Plain <c>rtsp://</c> and <c>rtsps://</c> stay with the built-in client (which checks rtsps certificates). Defaults:
/// video is copied for <c>ffmpeg:</c>, encoded for HTTP and snapshots; audio is dropped unless asked for.
/// </summary>
public sealed record FfmpegSourceUrl(string Input, string Video, string Audio, bool IsFile, int SnapshotRate = 0)
{
    public const string Scheme = "ffmpeg:";

    /// <summary>
    /// Most snapshots a second: a camera's snapshot endpoint encodes a JPEG per request (about 100–300 ms on small
    /// cameras), and above a few a second an MJPEG or RTSP stream of the same camera is the better source.
    /// </summary>
    public const int MaxSnapshotRate = 10;

    /// <summary>True for a snapshot camera (<c>#input=snapshot</c>).</summary>
    public bool IsSnapshot => SnapshotRate > 0;

    private static readonly string[] Videos = ["copy", "h264"];
    private static readonly string[] Audios = ["none", "copy", "aac", "opus"];

    /// <summary>True for a URL this class handles (whether or not its options are valid).</summary>
    public static bool Handles(string url) =>
        url.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
        || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a source; null with a message a user can act on when it is not one or its options are wrong.</summary>
    public static FfmpegSourceUrl? Parse(string url, out string error)
    {
        error = "";
        if (!url.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            if (!Handles(url))
            {
                error = "not an ffmpeg: or http(s):// source";
                return null;
            }

            return new FfmpegSourceUrl(url, "h264", "none", IsFile: false);
        }

        var parts = url[Scheme.Length..].Split('#');
        var (video, audio, file, snapshot, rate) = ("copy", "none", false, false, 1);
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
                case "input" when value == "snapshot":
                    snapshot = true;
                    break;
                case "rate" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out rate)
                                 && rate is >= 1 and <= MaxSnapshotRate:
                    break;
                case "rate":
                    error = $"#rate must be a whole number of snapshots a second from 1 to {MaxSnapshotRate}";
                    return null;
                default:
                    error = $"unknown ffmpeg: option '#{option}' (video={string.Join('|', Videos)}, audio={string.Join('|', Audios)}, input=file|snapshot, rate=1-{MaxSnapshotRate})";
                    return null;
            }
        }

        var input = parts[0];
        if (input.Length == 0 || input.Any(char.IsControl))
        {
            error = "ffmpeg: needs an input, e.g. ffmpeg:rtsp://host/stream#video=h264 or ffmpeg:/path/file.mp4";
            return null;
        }

        if (snapshot)
        {
            if (!Uri.TryCreate(input, UriKind.Absolute, out var http) || http.Scheme is not ("http" or "https")
                || http.Host.Length == 0)
            {
                error = "#input=snapshot needs an http:// or https:// URL of a JPEG picture";
                return null;
            }

            if (file || audio != "none" || video == "copy" && parts.Any(p => p == "video=copy"))
            {
                error = "#input=snapshot makes H.264 video from pictures: no #input=file, #audio or #video=copy";
                return null;
            }

            return new FfmpegSourceUrl(input, "h264", "none", IsFile: false, SnapshotRate: rate);
        }

        if (parts.Skip(1).Any(p => p.StartsWith("rate=", StringComparison.Ordinal)))
        {
            error = "#rate applies to #input=snapshot only";
            return null;
        }

        return new FfmpegSourceUrl(input, video, audio, file || input.StartsWith('/'));
    }

    /// <summary>TLS inputs whose certificate ffmpeg cannot be told to check (ffmpeg 5.1: rtsp.c and rtmpproto.c open
    /// their TLS connection without the caller's options).</summary>
    private static readonly string[] UncheckedTlsSchemes = ["rtsps://", "rtmps://", "rtmpts://", "tls://"];

    /// <summary>True for an input ffmpeg reads over HTTPS (its certificate is checked with <c>-tls_verify</c>).</summary>
    public bool IsHttps => !IsSnapshot && Input.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Null when this source may run under <paramref name="tls"/>; otherwise why not: a TLS input whose certificate
    /// ffmpeg cannot check while checking is on (the message says what to use instead).
    /// </summary>
    public string? TlsRefusal(CameraTlsOptions tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        if (!tls.VerifyCertificate || IsSnapshot || !UncheckedTlsSchemes.Any(s => Input.StartsWith(s, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        return $"ffmpeg cannot check the TLS certificate of a {Input[..Input.IndexOf(':', StringComparison.Ordinal)]}:// input, " +
               "so it is refused while [go2rtc] rtsps_verify_certificate is true: use the rtsps:// URL itself (the built-in " +
               "client checks it), or set rtsps_verify_certificate = false to accept any certificate";
    }

    /// <summary>
    /// ffmpeg's arguments, publishing to <paramref name="publishUrl"/> (holds a credential: never log it unredacted).
    /// An HTTPS input gets <c>-tls_verify 1</c> (and <c>-ca_file</c>) unless <paramref name="tls"/> turns checking off.
    /// </summary>
    public IReadOnlyList<string> Arguments(string publishUrl, CameraTlsOptions? tls = null)
    {
        var args = new List<string> { "-hide_banner", "-v", "error" };
        if (IsSnapshot)
        {
            // JPEGs written to stdin by SnapshotPoller, each stamped with the time it arrived; the output is constant
            // at the poll rate (a late picture is repeated, an early one dropped), a keyframe every 2 s.
            var rate = SnapshotRate.ToString(CultureInfo.InvariantCulture);
            args.AddRange(["-f", "image2pipe", "-framerate", rate, "-c:v", "mjpeg", "-use_wallclock_as_timestamps", "1", "-i", "pipe:0"]);
            args.AddRange(["-map", "0:v:0", "-r", rate, "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2", "-c:v", "libx264",
                "-preset", "ultrafast", "-tune", "zerolatency", "-bf", "0", "-pix_fmt", "yuv420p",
                "-force_key_frames", "expr:gte(t,n_forced*2)"]);
            args.AddRange(["-f", "rtsp", "-rtsp_transport", "tcp", publishUrl]);
            return args;
        }

        args.Add("-nostdin");
        if (IsFile)
        {
            args.AddRange(["-re", "-stream_loop", "-1"]); // a file plays in real time, over and over, like a camera
        }
        else if (Input.StartsWith("rtsp", StringComparison.OrdinalIgnoreCase))
        {
            args.AddRange(["-rtsp_transport", "tcp"]);
        }

        tls ??= new CameraTlsOptions();
        if (IsHttps && tls.VerifyCertificate)
        {
            // gnutls in ffmpeg: with -ca_file the file is the whole trust list (no system roots); without, the system's.
            args.AddRange(["-tls_verify", "1"]);
            if (tls.CaFile.Length > 0)
            {
                args.AddRange(["-ca_file", tls.CaFile]);
            }
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
