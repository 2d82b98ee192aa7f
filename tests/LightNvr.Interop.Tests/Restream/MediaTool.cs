using System.Diagnostics;

namespace LightNvr.Interop.Tests.Restream;

/// <summary>Runs ffmpeg or gst-launch-1.0 with a hard time limit and gives back exit code and stderr.</summary>
internal static class MediaTool
{
    /// <param name="environment">Variables added to the tool's environment (e.g. GST_DEBUG for a failure's details).</param>
    public static async Task<(int ExitCode, string Errors)> RunAsync(string tool, IEnumerable<string> arguments, TimeSpan limit,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(true);
            await process.WaitForExitAsync();
            return (-999, "timeout: " + await stderr + await stdout);
        }

        return (process.ExitCode, await stderr + await stdout);
    }

    /// <summary>ffmpeg reads the URL over the transport and decodes <paramref name="seconds"/> s; -xerror fails on any decode error.</summary>
    public static Task<(int ExitCode, string Errors)> FfmpegReadAsync(string url, string transport, int seconds = 3) =>
        RunAsync("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-xerror", "-rtsp_transport", transport, "-i", url,
            "-t", seconds.ToString(), "-f", "null", "-"], TimeSpan.FromSeconds(seconds + 15));

    /// <summary>ffmpeg -v error for a read; reports the frame count via -progress would be heavier, so this checks the exit only.</summary>
    public static Task<(int ExitCode, string Errors)> FfmpegPublishAsync(string url, int seconds) =>
        RunAsync("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-re", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000", "-t", seconds.ToString(),
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "15", "-bf", "0", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-f", "rtsp", "-rtsp_transport", "tcp", url], TimeSpan.FromSeconds(seconds + 15));
}
