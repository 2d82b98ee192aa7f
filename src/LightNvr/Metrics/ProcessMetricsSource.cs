using System.Diagnostics;
using LightNvr.Hosting;

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

    public void Collect(MetricsScrape scrape)
    {
        var w = scrape.Writer;
        w.Family("process_cpu_seconds_total", MetricType.Counter, "Total user and system CPU time spent in seconds.");
        w.Sample(Environment.CpuUsage.TotalTime.TotalSeconds);
        w.Family("process_resident_memory_bytes", MetricType.Gauge, "Resident memory size in bytes.");
        w.Sample(ProcFs.ProcessRss());
        w.Family("process_virtual_memory_bytes", MetricType.Gauge, "Virtual memory size in bytes.");
        w.Sample(ProcFs.ReadField("/proc/self/status", "VmSize") ?? 0);
        w.Family("process_start_time_seconds", MetricType.Gauge, "Start time of the process since unix epoch in seconds.");
        w.Sample(StartTimeSeconds);
        w.Family("process_num_threads", MetricType.Gauge, "Total number of threads.");
        w.Sample(ProcFs.ProcessThreads());
        if (OpenFileDescriptors() is { } fds)
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

    /// <summary>Entries of /proc/self/fd (Linux only; null elsewhere or when unreadable).</summary>
    private static int? OpenFileDescriptors()
    {
        try
        {
            return Directory.Exists("/proc/self/fd") ? Directory.EnumerateFileSystemEntries("/proc/self/fd").Count() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
