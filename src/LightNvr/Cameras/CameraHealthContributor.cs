using System.Collections.Concurrent;
using LightNvr.Health;
using LightNvr.Media.Streaming;

namespace LightNvr.Cameras;

/// <summary>
/// Puts every camera into <c>/api/health</c> and <c>/api/system</c>: counts by state and one <c>streams_detail</c> entry
/// each, from counters the hub and supervisor already keep (no I/O). Running is "up"; starting or reconnecting is
/// "degraded"; an error (camera or recorder, e.g. frames that arrive but cannot be recorded) is "down", with its
/// reason in <c>error_message</c>. A stream that records only on demand and has nobody watching
/// is idle, not broken: it counts as "up" with no frame rate.
/// </summary>
public sealed class CameraHealthContributor(CameraService cameras, TimeProvider time) : IHealthContributor
{
    /// <summary>Bitrate is averaged between two health requests, but over no less than this (a burst of polls).</summary>
    private static readonly TimeSpan MinBitrateWindow = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, long Bytes, long Bitrate)> _bitrates = new();

    public void Contribute(HealthReport report)
    {
        var now = time.GetUtcNow();
        foreach (var camera in cameras.Cameras)
        {
            var source = camera.Supervisor.Status;
            var status = camera.Status;
            var health = status.State switch
            {
                "Running" or "Stopped" => "up",
                "Starting" or "Reconnecting" => "degraded",
                _ => "down",
            };
            report.Streams.Total++;
            switch (health)
            {
                case "up": report.Streams.Up++; break;
                case "degraded": report.Streams.Degraded++; break;
                default: report.Streams.Down++; break;
            }

            var connected = source.State == SourceState.Connected;
            report.StreamsDetail.Add(new StreamHealth
            {
                Name = camera.Name,
                Status = health,
                Fps = connected ? camera.Probe.Info?.Fps ?? 0 : 0,
                ConfiguredFps = camera.Config.Fps,
                BitrateBps = connected ? Bitrate(camera.Name, camera.Hub.BytesIn, now) : 0,
                UptimeSeconds = connected ? (long)(now - source.Since).TotalSeconds : 0,
                Reconnects = source.Failures,
                FramesTotal = camera.Hub.FramesIn,
                FramesDropped = camera.Hub.SubscriptionStats.Where(s => s.Name.StartsWith("recorder", StringComparison.Ordinal))
                    .Sum(s => s.Drops),
                RecordingActive = connected && camera.Config.Record && camera.RecordingError is null,
                ErrorMessage = health == "up" ? null : status.ErrorMessage,
            });
        }
    }

    private long Bitrate(string name, long bytes, DateTimeOffset now)
    {
        var entry = _bitrates.AddOrUpdate(name, _ => (now, bytes, 0), (_, last) =>
        {
            var elapsed = now - last.At;
            if (elapsed < MinBitrateWindow)
            {
                return last;
            }

            return (now, bytes, (long)((bytes - last.Bytes) * 8 / elapsed.TotalSeconds));
        });
        return entry.Bitrate;
    }
}
