using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using LightNvr.Config;
using LightNvr.IO;

namespace LightNvr.Health;

/// <summary>
/// <c>GET /api/system</c>'s object (upstream §9: camelCase mixed with snake_case, bytes for memory and disk). CPU usage
/// is the busy share since the previous call (since boot on the first), so a request never sleeps to sample.
/// Blocks upstream fills from its go2rtc and detector child processes are left out: they run inside this process.
/// </summary>
public sealed class SystemInfoService(ServerInfo server, ConfigSection<StorageOptions> storage, HealthService health)
{
    private readonly Lock _lock = new();
    private (long Busy, long Total) _lastCpu;

    public byte[] BuildJson()
    {
        var report = health.Build();
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("version", ServerInfo.Version);
            w.WriteString("git_commit", ServerInfo.GitCommit);
            w.WriteStartObject("cpu");
            w.WriteString("model", ProcFs.CpuModel());
            w.WriteNumber("cores", Environment.ProcessorCount);
            w.WriteNumber("usage", Math.Round(CpuUsage(), 1));
            w.WriteEndObject();
            var memTotal = ProcFs.ReadField("/proc/meminfo", "MemTotal") ?? 0;
            var memAvailable = ProcFs.ReadField("/proc/meminfo", "MemAvailable") ?? 0;
            var rss = ProcFs.ProcessRss();
            w.WriteStartObject("memory");
            w.WriteNumber("total", memTotal);
            w.WriteNumber("used", rss);
            w.WriteNumber("free", Math.Max(0, memTotal - rss));
            w.WriteNumber("rss", rss);
            w.WriteNumber("managed_heap", GC.GetTotalMemory(false));
            w.WriteEndObject();
            w.WriteNumber("threads", ProcFs.ProcessThreads());
            w.WriteNumber("webThreadPoolSize", ThreadPool.ThreadCount);
            w.WriteStartObject("systemMemory");
            w.WriteNumber("total", memTotal);
            w.WriteNumber("used", memTotal - memAvailable);
            w.WriteNumber("free", memAvailable);
            w.WriteEndObject();
            w.WriteNumber("uptime", (long)server.Uptime.TotalSeconds);
            WriteDisk(w, "disk", DiskSpace.Of(storage.Current.Path));
            WriteDisk(w, "systemDisk", DiskSpace.Of("/"));
            w.WriteNumber("global_retention_days", storage.Current.RetentionDays);
            WriteNetwork(w);
            w.WriteStartObject("streams");
            w.WriteNumber("active", report.Streams.Up + report.Streams.Degraded);
            w.WriteNumber("total", report.Streams.Total);
            w.WriteEndObject();
            w.WriteStartObject("recordings");
            w.WriteNumber("count", report.RecordingCount);
            w.WriteNumber("size", report.RecordingBytes);
            w.WriteEndObject();
            w.WriteStartObject("versions");
            w.WriteStartArray("items");
            foreach (var item in VersionItems.Items)
            {
                WriteVersion(w, item);
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    private double CpuUsage()
    {
        if (ProcFs.CpuTimes() is not { } now)
        {
            return 0;
        }

        lock (_lock)
        {
            var (busy, total) = (now.Busy - _lastCpu.Busy, now.Total - _lastCpu.Total);
            _lastCpu = now;
            return total <= 0 ? 0 : 100.0 * busy / total;
        }
    }

    private static void WriteDisk(Utf8JsonWriter w, string name, DiskSpace? disk)
    {
        if (disk is null)
        {
            return;
        }

        w.WriteStartObject(name);
        w.WriteNumber("total", disk.Total);
        w.WriteNumber("used", disk.Used);
        w.WriteNumber("free", disk.Free);
        w.WriteEndObject();
    }

    private static void WriteNetwork(Utf8JsonWriter w)
    {
        w.WriteStartObject("network");
        w.WriteStartArray("interfaces");
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces().Where(n => n.NetworkInterfaceType != NetworkInterfaceType.Loopback))
            {
                var address = nic.GetIPProperties().UnicastAddresses.FirstOrDefault(a => a.Address.AddressFamily == AddressFamily.InterNetwork);
                w.WriteStartObject();
                w.WriteString("name", nic.Name);
                w.WriteString("address", address?.Address.ToString() ?? "");
                w.WriteString("mac", string.Join(':', nic.GetPhysicalAddress().GetAddressBytes().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture))));
                w.WriteBoolean("up", nic.OperationalStatus == OperationalStatus.Up);
                w.WriteEndObject();
            }
        }
        catch (NetworkInformationException)
        {
            // No interface list (restricted container): an empty list.
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteVersion(Utf8JsonWriter w, VersionItems.Item item)
    {
        w.WriteStartObject();
        w.WriteString("name", item.Name);
        w.WriteString("category", item.Category);
        w.WriteString("version", item.Version);
        if (item.Details is { } details)
        {
            w.WriteString("details", details);
        }
        w.WriteEndObject();
    }
}
