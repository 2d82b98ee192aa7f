using LightNvr.Health;
using LightNvr.Cameras;
using LightNvr.Hosting;
using LightNvr.Recording;

namespace LightNvr.Metrics;

/// <summary>
/// Upstream LightNVR's per-stream and instance families (names and labels as upstream's <c>/api/metrics</c>, so its
/// dashboards keep working) plus ours: bytes in. The figures are <c>/api/health</c>'s (<see cref="HealthService"/>, the
/// one place stream state is judged) and counters the hub, supervisor, probe and recorder keep; nothing is kept here
/// but the CPU sample between two scrapes.
/// </summary>
public sealed class StreamMetricsSource(HealthService health, CameraService cameras, RecordingService recording, TimeProvider time)
    : IMetricsSource
{
    /// <summary>Scrapes closer together than this repeat the last CPU figure.</summary>
    private static readonly TimeSpan MinCpuWindow = TimeSpan.FromSeconds(1);

    private static readonly DateTimeOffset ProcessStart = System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime();

    private readonly Lock _lock = new();
    private (long Timestamp, TimeSpan Cpu)? _lastCpu;
    private double _lastPercent;

    public void Collect(MetricsScrape scrape)
    {
        var report = health.Build();
        var recorders = recording.Recorders.ToDictionary(r => r.StreamName, StringComparer.Ordinal);
        var rows = new List<Row>(report.StreamsDetail.Count);
        foreach (var s in report.StreamsDetail)
        {
            if (!scrape.Shows(s.Name) || !cameras.TryGet(s.Name, out var camera))
            {
                continue;
            }
            recorders.TryGetValue(s.Name, out var recorder);
            rows.Add(new Row(s, camera.Hub.BytesIn, camera.Supervisor.Reconnects, camera.Probe.LastFrameUnixMs, recorder));
        }

        var w = scrape.Writer;
        Gauge(w, rows, "lightnvr_stream_up", "1 when the stream is up (connected, or idle on demand), else 0.", r => r.Health.Status == "up" ? 1 : 0);
        Gauge(w, rows, "lightnvr_stream_fps", "Measured video frame rate.", r => r.Health.Fps);
        Gauge(w, rows, "lightnvr_stream_bitrate_bps", "Bitrate in from the camera, bits per second, averaged since the previous health poll or scrape (at least 1 s).",
            r => r.Health.BitrateBps);
        w.Family("lightnvr_stream_last_frame_ts", MetricType.Gauge, "Wall-clock time of the last video frame, Unix seconds (streams that had one).");
        foreach (var r in rows.Where(r => r.LastFrameUnixMs > 0))
        {
            w.Sample("stream", r.Health.Name, r.LastFrameUnixMs / 1000.0);
        }
        Gauge(w, rows, "lightnvr_recording_active", "1 while the stream is being recorded without error.", r => r.Health.RecordingActive ? 1 : 0);
        Counter(w, rows, "lightnvr_stream_frames_total", "Frames (video and audio) received from the camera.", r => r.Health.FramesTotal);
        Counter(w, rows, "lightnvr_stream_frames_dropped", "Frames the recorder and live viewers dropped (queue full or catch-up).",
            r => r.Health.FramesDropped);
        Counter(w, rows, "lightnvr_stream_reconnects_total", "Camera connections that ended or failed and were retried.", r => r.Reconnects);
        Gauge(w, rows, "lightnvr_stream_uptime_seconds", "Seconds since the current camera connection was made (0 when not connected).",
            r => r.Health.UptimeSeconds);
        Counter(w, rows, "lightnvr_stream_bytes_in_total", "Payload bytes received from the camera.", r => r.BytesIn);
        var recorded = rows.Where(r => r.Recorder is not null).ToList();
        Counter(w, recorded, "lightnvr_recording_bytes_written", "Bytes this stream's recorder has written to disk since it started.",
            r => r.Recorder!.BytesWritten);
        Counter(w, recorded, "lightnvr_recording_segments_total", "Recording segments closed since the recorder started.",
            r => r.Recorder!.SegmentsClosed);

        w.Family("lightnvr_storage_used_bytes", MetricType.Gauge, "Bytes of recordings on disk (from the recordings table, refreshed every 30 s).");
        w.Sample(report.RecordingBytes);
        w.Family("lightnvr_storage_available_bytes", MetricType.Gauge, "Free bytes on the storage path's file system.");
        w.Sample(report.Storage.AvailableBytes);
        w.Family("lightnvr_instance_streams_configured", MetricType.Gauge, "Streams configured and enabled.");
        w.Sample(report.Streams.Total);
        w.Family("lightnvr_instance_streams_up", MetricType.Gauge, "Streams up.");
        w.Sample(report.Streams.Up);
        w.Family("lightnvr_instance_cpu_percent", MetricType.Gauge,
            "CPU used by this process since the previous scrape, percent of all cores (0-100).");
        w.Sample(CpuPercent());
        w.Family("lightnvr_instance_memory_rss_bytes", MetricType.Gauge, "Resident memory of this process.");
        w.Sample(ProcFs.ProcessRss());
    }

    /// <summary>
    /// Process CPU over the time since the previous scrape, or since the process started on the first; scrapes less
    /// than <see cref="MinCpuWindow"/> apart repeat the last figure (a burst would otherwise measure noise).
    /// </summary>
    private double CpuPercent()
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var now = time.GetTimestamp();
        lock (_lock)
        {
            var wall = _lastCpu is { } last ? time.GetElapsedTime(last.Timestamp, now) : time.GetUtcNow() - ProcessStart;
            if (wall < MinCpuWindow && _lastCpu is not null)
            {
                return _lastPercent;
            }
            var used = cpu - (_lastCpu?.Cpu ?? TimeSpan.Zero);
            _lastCpu = (now, cpu);
            _lastPercent = wall <= TimeSpan.Zero ? 0 : Math.Clamp(100 * used / wall / Environment.ProcessorCount, 0, 100);
            return _lastPercent;
        }
    }

    private static void Gauge(PrometheusTextWriter w, List<Row> rows, string name, string help, Func<Row, double> value) =>
        Write(w, rows, name, MetricType.Gauge, help, value);

    private static void Counter(PrometheusTextWriter w, List<Row> rows, string name, string help, Func<Row, double> value) =>
        Write(w, rows, name, MetricType.Counter, help, value);

    private static void Write(PrometheusTextWriter w, List<Row> rows, string name, MetricType type, string help, Func<Row, double> value)
    {
        w.Family(name, type, help);
        foreach (var r in rows)
        {
            w.Sample("stream", r.Health.Name, value(r));
        }
    }

    private sealed record Row(StreamHealth Health, long BytesIn, long Reconnects, long LastFrameUnixMs, StreamRecorder? Recorder);
}
