using System.Diagnostics;

namespace LightNvr.Fuzz;

/// <summary>
/// Runs saved inputs (crashes, hangs, regression cases, a corpus) through a target in this process, as tests: each
/// input passes when the target returns within <see cref="MaxSeconds"/>; prints each failure with its exception and a
/// closing "replay TARGET: N passed, N failed" line; the exit code is 1 when any failed.
/// </summary>
public static class Replay
{
    /// <summary>
    /// Longest an input may take before it counts as a hang: afl-fuzz's own timeout in scripts/fuzz.sh is 2 s (a
    /// parse takes microseconds; the slack is for a loaded 2-core machine and the first, JIT-compiling call).
    /// </summary>
    public const int MaxSeconds = 10;

    public static int Run(FuzzTarget target, IEnumerable<string> paths)
    {
        var files = paths.SelectMany(p => Directory.Exists(p)
            ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith('.'))
                .Where(f => !f.EndsWith("README.txt", StringComparison.Ordinal))
            : [p]).Order(StringComparer.Ordinal).ToList();
        int passed = 0, failed = 0;
        foreach (var file in files)
        {
            var data = File.ReadAllBytes(file);
            Exception? error = null;
            var watch = Stopwatch.StartNew();
            var worker = new Thread(() =>
            {
                try
                {
                    target.Run(data);
                }
                catch (Exception e)
                {
                    error = e;
                }
            }, 64 << 20) { IsBackground = true };
            worker.Start();
            if (!worker.Join(TimeSpan.FromSeconds(MaxSeconds)))
            {
                error = new TimeoutException($"still running after {MaxSeconds} s (a hang)");
            }

            if (error is null)
            {
                passed++;
                continue;
            }

            failed++;
            Console.WriteLine($"FAIL {target.Name} {file} ({data.Length} bytes, {watch.ElapsedMilliseconds} ms): {error}");
        }

        Console.WriteLine($"replay {target.Name}: {passed} passed, {failed} failed");
        return failed == 0 ? 0 : 1;
    }
}
