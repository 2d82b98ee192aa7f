using System.Diagnostics;
using System.IO.Enumeration;

namespace LightNvr.Metrics;

/// <summary>
/// The process and runtime families under the names Prometheus client libraries use (<c>process_*</c> as the Go and
/// prometheus-net clients write them, <c>dotnet_*</c> as prometheus-net does), so stock dashboards and alerts work.
/// Read at scrape time from /proc and the runtime's own counters; no event listener runs between scrapes.
/// </summary>
public sealed class ProcessMetricsSource : IMetricsSource
{
    private static readonly double StartTimeSeconds = Process.GetCurrentProcess().StartTime.ToUniversalTime()
        .Subtract(DateTime.UnixEpoch).TotalSeconds;

    /// <summary>How long an open-descriptor count is reused (Prometheus' default scrape interval is 15 s).</summary>
    private static readonly TimeSpan MaxFdCountAge = TimeSpan.FromSeconds(10);

    private readonly Lock _fdLock = new();
    private DateTimeOffset _fdCountedAt = DateTimeOffset.MinValue;
    private int? _fdCount;

    public void Collect(MetricsScrape scrape)
    {
        var w = scrape.Writer;
        var (rss, virtualBytes, threads) = ReadStatus();
        w.Family("process_cpu_seconds_total", MetricType.Counter, "Total user and system CPU time spent in seconds.");
        w.Sample(Environment.CpuUsage.TotalTime.TotalSeconds);
        w.Family("process_resident_memory_bytes", MetricType.Gauge, "Resident memory size in bytes.");
        w.Sample(rss ?? Environment.WorkingSet);
        if (virtualBytes is { } vm)
        {
            w.Family("process_virtual_memory_bytes", MetricType.Gauge, "Virtual memory size in bytes.");
            w.Sample(vm);
        }
        w.Family("process_start_time_seconds", MetricType.Gauge, "Start time of the process since unix epoch in seconds.");
        w.Sample(StartTimeSeconds);
        if (threads is { } n)
        {
            w.Family("process_num_threads", MetricType.Gauge, "Total number of threads.");
            w.Sample(n);
        }
        if (OpenFileDescriptors(scrape.Now) is { } fds)
        {
            w.Family("process_open_fds", MetricType.Gauge, "Number of open file descriptors.");
            w.Sample(fds);
        }

        w.Family("dotnet_collection_count_total", MetricType.Counter, "GC collection count by generation.");
        for (var gen = 0; gen <= GC.MaxGeneration; gen++)
        {
            w.Sample("generation", gen.ToString(System.Globalization.CultureInfo.InvariantCulture), GC.CollectionCount(gen));
        }
        w.Family("dotnet_total_memory_bytes", MetricType.Gauge, "Total known allocated memory (managed heap objects in use).");
        w.Sample(GC.GetTotalMemory(forceFullCollection: false));
        var gc = GC.GetGCMemoryInfo();
        w.Family("dotnet_gc_heap_size_bytes", MetricType.Gauge, "Managed heap size after the last collection, fragmentation included.");
        w.Sample(gc.HeapSizeBytes);
        w.Family("dotnet_gc_committed_bytes", MetricType.Gauge, "Memory committed for the managed heap.");
        w.Sample(gc.TotalCommittedBytes);
        w.Family("dotnet_gc_allocated_bytes_total", MetricType.Counter, "Bytes allocated on the managed heap since start.");
        w.Sample(GC.GetTotalAllocatedBytes(precise: false));
        w.Family("dotnet_gc_pause_seconds_total", MetricType.Counter, "Time the runtime was paused for GC since start.");
        w.Sample(GC.GetTotalPauseDuration().TotalSeconds);
        w.Family("dotnet_threadpool_threads", MetricType.Gauge, "Thread pool threads now.");
        w.Sample(ThreadPool.ThreadCount);
        w.Family("dotnet_threadpool_queue_length", MetricType.Gauge, "Work items queued to the thread pool now.");
        w.Sample(ThreadPool.PendingWorkItemCount);
    }

    /// <summary>VmRSS, VmSize (bytes) and Threads from one read of /proc/self/status (proc(5)); nulls off Linux.</summary>
    private static (long? Rss, long? Virtual, long? Threads) ReadStatus()
    {
        long? rss = null, vm = null, threads = null;
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Number(line) * 1024;
                }
                else if (line.StartsWith("VmSize:", StringComparison.Ordinal))
                {
                    vm = Number(line) * 1024;
                }
                else if (line.StartsWith("Threads:", StringComparison.Ordinal))
                {
                    threads = Number(line);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return (rss, vm, threads);
    }

    /// <summary>The number after the colon of a "Key:   123 kB" line.</summary>
    private static long? Number(string line)
    {
        var value = line.AsSpan(line.IndexOf(':') + 1).Trim();
        var end = value.IndexOf(' ');
        return long.TryParse(end < 0 ? value : value[..end], System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    /// <summary>
    /// Entries of /proc/self/fd, counted without making their names (Linux only; null elsewhere or when unreadable),
    /// at most every <see cref="MaxFdCountAge"/>: the kernel's listing of that folder costs about a millisecond with a
    /// few hundred descriptors, more than the rest of a scrape together.
    /// </summary>
    private int? OpenFileDescriptors(DateTimeOffset now)
    {
        lock (_fdLock)
        {
            if (now - _fdCountedAt < MaxFdCountAge && now >= _fdCountedAt)
            {
                return _fdCount;
            }
            _fdCountedAt = now;
            try
            {
                if (!Directory.Exists("/proc/self/fd"))
                {
                    return _fdCount = null;
                }
                var count = 0;
                foreach (var _ in new FileSystemEnumerable<bool>("/proc/self/fd", (ref FileSystemEntry _) => true,
                    new EnumerationOptions { AttributesToSkip = 0 }))
                {
                    count++;
                }
                return _fdCount = count;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return _fdCount = null;
            }
        }
    }
}
