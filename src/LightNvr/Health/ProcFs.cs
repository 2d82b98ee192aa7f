using System.Globalization;

namespace LightNvr.Health;

/// <summary>Small readers for Linux /proc (proc(5)); each returns null/0 off Linux or on a read error.</summary>
public static class ProcFs
{
    /// <summary>A "Key:   123 kB" field of /proc/self/status or /proc/meminfo, in bytes (or the bare number).</summary>
    public static long? ReadField(string file, string key)
    {
        try
        {
            foreach (var line in File.ReadLines(file))
            {
                if (line.StartsWith(key, StringComparison.Ordinal) && line.Length > key.Length && line[key.Length] == ':')
                {
                    var parts = line[(key.Length + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    var n = long.Parse(parts[0], CultureInfo.InvariantCulture);
                    return parts.Length > 1 && parts[1] == "kB" ? n * 1024 : n;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
        }

        return null;
    }

    /// <summary>Resident set size of this process (VmRSS), bytes.</summary>
    public static long ProcessRss() => ReadField("/proc/self/status", "VmRSS") ?? Environment.WorkingSet;

    public static int ProcessThreads() => (int)(ReadField("/proc/self/status", "Threads") ?? 0);

    public static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    /// <summary>The aggregate "cpu" line of /proc/stat: (busy, total) jiffies.</summary>
    public static (long Busy, long Total)? CpuTimes()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            var total = f.Take(8).Sum();
            var idle = f[3] + (f.Length > 4 ? f[4] : 0);
            return (total - idle, total);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }
}
