using LightNvr.Restream;

namespace LightNvr.Demo;

/// <summary>
/// One run of the demo camera's ffmpeg: a moving test picture (testsrc2) with the wall-clock time drawn on it and a
/// 440 Hz tone, H.264 (ultrafast, zerolatency, 2 s GOP, no B-frames) + AAC, published over RTSP/TCP into our own
/// server. Modest on purpose: 640x360 at 15 fps costs a few percent of one core.
/// </summary>
public static class DemoCameraProcess
{
    /// <summary>Picture size: small enough for a Raspberry Pi to encode alongside everything else.</summary>
    public const string Size = "640x360";

    /// <summary>Frames per second, and the GOP (2 s) in frames.</summary>
    public const int Fps = 15, Gop = 30;

    /// <summary>The Debian font drawtext uses; without it the picture is testsrc2 alone (its own timer included).</summary>
    public const string FontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    /// <summary>ffmpeg's arguments; <paramref name="url"/> holds the publisher credential: never log it unredacted.</summary>
    public static IReadOnlyList<string> Arguments(string url)
    {
        var video = $"testsrc2=size={Size}:rate={Fps}";
        if (File.Exists(FontFile))
        {
            video += $",drawtext=fontfile={FontFile}:text='LightNVR demo %{{localtime}}':x=10:y=h-th-10:fontsize=20:" +
                     "fontcolor=white:box=1:boxcolor=black@0.5";
        }

        return
        [
            "-hide_banner", "-nostdin", "-v", "error", "-re",
            "-f", "lavfi", "-i", video,
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000",
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", Gop.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-bf", "0", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "32k",
            "-f", "rtsp", "-rtsp_transport", "tcp", url,
        ];
    }

    /// <summary>Runs the demo's ffmpeg until it exits (exit code and last error lines) or is cancelled (killed).</summary>
    public static Task<(int ExitCode, string Errors)> RunAsync(string ffmpeg, string url, CancellationToken ct) =>
        FfmpegPublisher.RunAsync(ffmpeg, Arguments(url), ct);
}
