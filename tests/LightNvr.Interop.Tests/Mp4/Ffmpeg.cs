using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace LightNvr.Interop.Tests.Mp4;

/// <summary>Runs ffmpeg/ffprobe (the independent judges of our MP4 output) and captures what they say.</summary>
internal static class Ffmpeg
{
    public static (int ExitCode, string Stdout, string Stderr) Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(true);
            throw new TimeoutException(tool + " " + string.Join(' ', args));
        }

        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Creates media with ffmpeg; throws with its stderr on failure.</summary>
    public static void Generate(params string[] args)
    {
        var all = new List<string> { "-v", "error", "-y" };
        all.AddRange(args);
        var (code, _, err) = Run("ffmpeg", [.. all]);
        Assert.True(code == 0, "ffmpeg failed: " + err);
    }

    /// <summary>Decodes the whole file with -xerror; returns ffmpeg's stderr (empty means a clean decode).</summary>
    public static string DecodeErrors(string path)
    {
        var (code, _, err) = Run("ffmpeg", "-v", "error", "-xerror", "-i", path, "-f", "null", "-");
        return code == 0 ? err.Trim() : $"exit {code}: {err.Trim()}";
    }

    /// <summary>Per stream (in file order): codec name, decoded frame count and duration in seconds, per ffprobe.</summary>
    public static List<(string Codec, int Frames, double Duration)> Probe(string path)
    {
        var (code, json, err) = Run("ffprobe", "-v", "error", "-count_frames", "-show_streams", "-of", "json", path);
        Assert.True(code == 0, "ffprobe failed: " + err);
        using var doc = JsonDocument.Parse(json);
        var result = new List<(string, int, double)>();
        foreach (var s in doc.RootElement.GetProperty("streams").EnumerateArray())
        {
            var frames = s.TryGetProperty("nb_read_frames", out var f) ? int.Parse(f.GetString()!, CultureInfo.InvariantCulture) : -1;
            var duration = s.TryGetProperty("duration", out var d) ? double.Parse(d.GetString()!, CultureInfo.InvariantCulture) : -1;
            result.Add((s.GetProperty("codec_name").GetString()!, frames, duration));
        }

        return result;
    }

    /// <summary>Format-level duration in seconds per ffprobe.</summary>
    public static double FormatDuration(string path)
    {
        var (_, json, _) = Run("ffprobe", "-v", "error", "-show_format", "-of", "json", path);
        using var doc = JsonDocument.Parse(json);
        return double.Parse(doc.RootElement.GetProperty("format").GetProperty("duration").GetString()!,
            CultureInfo.InvariantCulture);
    }
}
