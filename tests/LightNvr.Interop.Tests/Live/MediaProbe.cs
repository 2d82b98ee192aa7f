using System.Diagnostics;

namespace LightNvr.Interop.Tests.Live;

/// <summary>ffprobe/ffmpeg as the independent judge of what the server sent.</summary>
internal static class MediaProbe
{
    /// <summary>Runs a program with a time bound; returns exit code, stdout and stderr.</summary>
    public static async Task<(int Exit, string Out, string Err)> RunAsync(string file, TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeout}");
        }

        return (p.ExitCode, await stdout, await stderr);
    }

    /// <summary>Decoded video frames of a file or URL (ffprobe -count_frames), with optional HTTP headers.</summary>
    public static async Task<(int Frames, int Width, int Height)> CountVideoFramesAsync(string input, string? headers = null)
    {
        var args = new List<string> { "-v", "error" };
        if (headers is not null)
        {
            args.AddRange(["-headers", headers]);
        }

        args.AddRange(["-select_streams", "v:0", "-count_frames", "-show_entries", "stream=nb_read_frames,width,height",
            "-of", "csv=p=0", input]);
        var (exit, output, err) = await RunAsync("ffprobe", TimeSpan.FromSeconds(30), args.ToArray());
        Assert.True(exit == 0, "ffprobe failed: " + err);
        var parts = output.Trim().Split(',');
        return (int.Parse(parts[2]), int.Parse(parts[0]), int.Parse(parts[1]));
    }

    /// <summary>ESTABLISHED TCP connections to a local port, from /proc/net/tcp (the camera's side of the story).</summary>
    public static int ConnectionsTo(int port)
    {
        var hex = port.ToString("X4");
        var count = 0;
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1).Concat(File.ReadLines("/proc/net/tcp6").Skip(1)))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f[2].EndsWith(":" + hex, StringComparison.Ordinal) && f[3] == "01")
            {
                count++;
            }
        }

        return count;
    }
}
