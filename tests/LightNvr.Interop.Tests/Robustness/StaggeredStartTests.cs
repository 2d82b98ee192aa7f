using System.Collections.Concurrent;
using System.Diagnostics;
using LightNvr.Cameras;
using LightNvr.Data;
using LightNvr.Interop.Tests.Recording;
using LightNvr.Interop.Tests.Support;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.Robustness;

/// <summary>
/// Eight recorded cameras configured at once start <see cref="CameraService.StartStagger"/> apart, not all at once.
/// The cameras are loopback ports nobody listens on: what is measured is when each connection is started.
/// </summary>
[Collection("recording")]
public sealed class StaggeredStartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Eight_cameras_start_staggered()
    {
        var streams = Enumerable.Range(1, 8).Select(i => new StreamConfig
        {
            Name = $"cam{i}", Url = $"rtsp://127.0.0.1:{FreePort.Next()}/cam", Record = true, SegmentDuration = 4,
        }).ToArray();
        var started = new ConcurrentQueue<(string Name, double Ms)>();
        var clock = Stopwatch.StartNew();
        await using var h = await RecordingHarness.StartAsync(streams);
        h.Cameras.CameraStarted += (camera, _) =>
        {
            started.Enqueue((camera.Name, clock.Elapsed.TotalMilliseconds));
            return Task.CompletedTask;
        };

        var deadline = Environment.TickCount64 + 10_000;
        while (h.Cameras.Cameras.Count < 8)
        {
            Assert.True(Environment.TickCount64 < deadline, $"{h.Cameras.Cameras.Count} of 8 cameras started");
            await Task.Delay(50);
        }

        // The first camera or two may start before the handler is attached; every later one is seen.
        var seen = started.ToArray();
        output.WriteLine(string.Join('\n', seen.Select(s => $"{s.Name} at {s.Ms:F0} ms")));
        Assert.True(seen.Length >= 6, $"only {seen.Length} starts observed");
        var minimum = CameraService.StartStagger.TotalMilliseconds * 0.8; // timer granularity
        for (var i = 1; i < seen.Length; i++)
        {
            Assert.True(seen[i].Ms - seen[i - 1].Ms >= minimum,
                $"{seen[i].Name} started {seen[i].Ms - seen[i - 1].Ms:F0} ms after {seen[i - 1].Name}");
        }

        // Never there: each stays in retry with a reason, and the server keeps trying.
        await Task.Delay(1500);
        Assert.All(h.Cameras.Cameras, c => Assert.Contains(c.Status.State, new[] { "Error", "Reconnecting", "Starting" }));
    }
}
