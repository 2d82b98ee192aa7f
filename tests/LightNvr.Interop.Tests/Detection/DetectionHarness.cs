using System.Diagnostics;
using LightNvr.Cameras;
using LightNvr.Data;
using LightNvr.Detection;
using LightNvr.Detection.Objects;
using LightNvr.Interop.Tests.Restream;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Interop.Tests.Detection;

/// <summary>
/// The restream harness (SQLite, cameras, recorder, the RTSP server that ffmpeg publishes into) plus the real
/// <see cref="DetectionService"/> with a capturing sink. Cameras are ffmpeg lavfi pictures published into
/// publish-mode streams, so each test draws exactly the scene it needs (a box moving here, noise, a fade).
/// </summary>
internal sealed class DetectionHarness : IAsyncDisposable
{
    private readonly List<Process> _publishers = [];

    private DetectionHarness(RestreamHarness restream, DetectionService detection, ZoneStore zones)
    {
        Restream = restream;
        Detection = detection;
        Zones = zones;
    }

    public RestreamHarness Restream { get; }
    public DetectionService Detection { get; }
    public ZoneStore Zones { get; }
    public CapturingSink Observed { get; private init; } = new();

    /// <summary>detection_model of the cameras <see cref="AddCameraAsync"/> adds (default motion).</summary>
    public string Model { get; set; } = DetectionPlan.MotionModel;

    public bool MotionGate { get; set; } = true;

    public int DetectionInterval { get; set; } = 1;

    public double Threshold { get; set; } = 0.5;

    public static async Task<DetectionHarness> StartAsync(FrameSourceOptions? options = null, IObjectDetectorProvider? objects = null)
    {
        var restream = await RestreamHarness.StartAsync();
        var time = TimeProvider.System;
        var zones = new ZoneStore(restream.Database, time);
        var sink = new CapturingSink();
        var detection = new DetectionService(restream.Cameras, zones,
            new MotionSettingsStore(restream.Database), sink, options ?? new FrameSourceOptions(), restream.Shutdown, time,
            NullLoggerFactory.Instance, objects is null ? [] : [objects], new ObjectDetectionQueues());
        await detection.StartAsync(CancellationToken.None);
        return new DetectionHarness(restream, detection, zones) { Observed = sink };
    }

    /// <summary>A motion stream (recorded) with the given zones, then ffmpeg publishing <paramref name="lavfi"/> into it.</summary>
    public async Task AddCameraAsync(string name, string lavfi, int seconds, params DetectionZone[] zones)
    {
        var stream = new StreamConfig
        {
            Name = name, Url = Restream.PublishUrl(name), Record = true, SegmentDuration = 60, DetectionModel = Model,
            DetectionMotionGate = MotionGate, DetectionInterval = DetectionInterval, DetectionThreshold = Threshold,
        };
        var id = await Restream.Streams.InsertAsync(stream);
        Assert.NotNull(id);
        if (zones.Length > 0)
        {
            Assert.Null(await Zones.ReplaceAsync(name, zones)); // before the camera starts: the detector loads them
        }
        await Restream.Cameras.OnStreamAddedAsync(stream with { Id = id.Value }, CancellationToken.None);
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     "-hide_banner", "-nostdin", "-v", "error", "-re", "-f", "lavfi", "-i", lavfi, "-t", seconds.ToString(),
                     "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "15", "-bf", "0",
                     "-pix_fmt", "yuv420p", "-f", "rtsp", "-rtsp_transport", "tcp",
                     Restream.Url(name, RestreamHarness.Admin, RestreamHarness.AdminPassword),
                 })
        {
            psi.ArgumentList.Add(a);
        }
        var process = Process.Start(psi)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        _publishers.Add(process);
    }

    public static DetectionZone Zone(string stream, string id, double x0, double x1) => new()
    {
        Id = id, StreamName = stream, Name = id, Enabled = true,
        Polygon = [new(x0, 0), new(x1, 0), new(x1, 1), new(x0, 1)],
    };

    public StreamDetector Detector(string name)
    {
        Assert.True(Detection.TryGet(name, out var detector), $"no detector for {name}");
        return detector;
    }

    /// <summary>Waits (real time, bounded) until <paramref name="condition"/> holds.</summary>
    public static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, Func<string> because)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, because());
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _publishers)
        {
            try
            {
                if (!p.HasExited)
                {
                    p.Kill(true);
                }
            }
            catch (InvalidOperationException)
            {
            }
            p.Dispose();
        }
        await Detection.StopAsync(CancellationToken.None);
        Detection.Dispose();
        await Restream.DisposeAsync();
    }
}
