using System.Diagnostics;
using System.Globalization;
using LightNvr.Media.Mp4.Export;

namespace LightNvr.Bench.Storage;

/// <summary>
/// Export throughput: ffmpeg encodes N seconds of 720p H.264 (15 fps, 1 s GOP, ~4 Mbit/s) and its segment muxer
/// writes 10 s fragmented MP4 segments; then the whole range is exported (a) by <see cref="Mp4RangeExporter"/> to a
/// file (planning included) and (b) by <c>ffmpeg -f concat -safe 0 -i list -c copy</c>, alternately, <see cref="Runs"/>
/// times each on a warm page cache. MB/s = output bytes / wall time, median.
/// </summary>
internal static class ExportBench
{
    private const int Runs = 5;

    public static async Task RunAsync(string work, int seconds)
    {
        var dir = Path.Combine(work, "segments");
        Directory.CreateDirectory(dir);
        Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=15", "-t", seconds.ToString(CultureInfo.InvariantCulture),
            "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "4M", "-g", "15", "-bf", "0", "-pix_fmt", "yuv420p",
            "-f", "segment", "-segment_time", "10", "-reset_timestamps", "1", "-segment_format", "mp4",
            "-segment_format_options", "movflags=empty_moov+default_base_moof+frag_keyframe",
            "-segment_list", Path.Combine(dir, "list.csv"), "-segment_list_type", "csv", Path.Combine(dir, "seg%03d.mp4"));
        var sources = new List<Mp4ExportSource>();
        foreach (var line in File.ReadAllLines(Path.Combine(dir, "list.csv")))
        {
            var parts = line.Split(',');
            var startMs = (long)Math.Round(double.Parse(parts[1], CultureInfo.InvariantCulture) * 1000);
            sources.Add(new Mp4ExportSource(Path.Combine(dir, parts[0]), startMs));
        }
        var endMs = seconds * 1000L;
        var input = sources.Sum(s => new FileInfo(s.Path).Length);
        var concatList = Path.Combine(dir, "concat.txt");
        File.WriteAllLines(concatList, sources.Select(s => $"file '{s.Path}'"));
        var ours = new List<double>();
        var theirs = new List<double>();
        long ourBytes = 0, theirBytes = 0;
        var ourOut = Path.Combine(work, "ours.mp4");
        var theirOut = Path.Combine(work, "ffmpeg.mp4");
        for (var i = 0; i < Runs + 1; i++)
        {
            var sw = Stopwatch.StartNew();
            var plan = Mp4RangeExporter.Plan(sources, 0, endMs);
            await using (var file = new FileStream(ourOut, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await plan.WriteToAsync(file);
            }
            var ourTime = sw.Elapsed.TotalSeconds;
            ourBytes = new FileInfo(ourOut).Length;

            sw.Restart();
            Run("ffmpeg", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", concatList, "-c", "copy", theirOut);
            var theirTime = sw.Elapsed.TotalSeconds;
            theirBytes = new FileInfo(theirOut).Length;
            if (i > 0) // the first round warms the page cache and the JIT
            {
                ours.Add(ourTime);
                theirs.Add(theirTime);
            }
        }
        ours.Sort();
        theirs.Sort();
        double Mb(long bytes, double s) => bytes / 1048576.0 / s;
        Console.WriteLine($"export: {sources.Count} segments, {seconds} s of 720p15 H.264, input {input / 1048576.0:F1} MB");
        Console.WriteLine("| exporter | output MB | median s | MB/s |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| Mp4RangeExporter (plan + write) | {ourBytes / 1048576.0:F1} | {ours[Runs / 2]:F3} | {Mb(ourBytes, ours[Runs / 2]):F0} |");
        Console.WriteLine($"| ffmpeg -f concat -c copy | {theirBytes / 1048576.0:F1} | {theirs[Runs / 2]:F3} | {Mb(theirBytes, theirs[Runs / 2]):F0} |");
        var check = Run("ffmpeg", "-v", "error", "-xerror", "-i", ourOut, "-f", "null", "-");
        Console.WriteLine(check.Length == 0 ? "export decodes cleanly (ffmpeg -xerror)" : "export decode errors: " + check);
    }

    private static string Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed: {err.Result}");
        }
        return err.Result.Trim();
    }
}
