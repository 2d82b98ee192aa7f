using System.Diagnostics;

namespace LightNvr.Interop.Tests.Detection;

/// <summary>
/// Motion detection end to end: ffmpeg draws a scene (lavfi), publishes it over RTSP into the built-in restream, the
/// camera's hub feeds the detection decoder (a real ffmpeg), and the detector's observations land in a capturing sink.
/// Short runs for <c>make test</c>; the 2-minute noise-and-fade run is <see cref="Noisy_fading_scene_makes_no_motion_for_two_minutes"/>
/// (trait Category=Long, run by <c>make soak</c>'s detection step or the command in docs/detection.md).
/// </summary>
public sealed class MotionInteropTests
{
    /// <summary>A gray picture with a white 60-pixel box (overlay: drawbox evaluates x once) sweeping x 40–260 (left half of 640) at 60 px/s, light noise.</summary>
    private const string BoxLeft = "color=c=gray:s=640x360:r=15[bg];color=c=white:s=60x60:r=15[box];" +
        "[bg][box]overlay=x='40+mod(t*60\\,220)':y=150,noise=alls=8:allf=t[out0]";

    /// <summary>The same box sweeping x 400–600 (right part only).</summary>
    private const string BoxRight = "color=c=gray:s=640x360:r=15[bg];color=c=white:s=60x60:r=15[box];" +
        "[bg][box]overlay=x='400+mod(t*60\\,180)':y=150,noise=alls=8:allf=t[out0]";

    /// <summary>Static colour bars under heavy per-frame noise, brightness ramping down and up (±0.25) over 30 s.</summary>
    private const string NoisyFade =
        "smptehdbars=s=640x360:r=15,eq=brightness='0.25*sin(2*PI*t/30)':eval=frame,noise=alls=40:allf=t";

    /// <summary>Static bars fading in from black over 20 s (a gain change), with heavy noise.</summary>
    private const string NoisyFadeIn = "smptehdbars=s=640x360:r=15,fade=t=in:st=0:d=20,noise=alls=40:allf=t";

    [Fact]
    public async Task Box_moving_inside_the_zone_is_motion_and_outside_is_not()
    {
        await using var h = await DetectionHarness.StartAsync();
        await h.AddCameraAsync("inside", BoxLeft, 25, DetectionHarness.Zone("inside", "left", 0, 0.5));
        await h.AddCameraAsync("outside", BoxRight, 25, DetectionHarness.Zone("outside", "left-too", 0, 0.5));

        await DetectionHarness.WaitAsync(() => h.Observed.For("inside").Count >= 5, TimeSpan.FromSeconds(20),
            () => $"inside: {h.Observed.For("inside").Count} observations; detector {Describe(h, "inside")}");
        await DetectionHarness.WaitAsync(() => h.Detector("outside").FramesAnalyzed >= 40, TimeSpan.FromSeconds(15),
            () => $"outside: {Describe(h, "outside")}");

        var inside = h.Observed.For("inside");
        Assert.All(inside, o =>
        {
            Assert.Equal("left", o.Zone);
            Assert.Equal("motion", o.Label);
            Assert.Equal(LightNvr.Events.ObservationSource.Motion, o.Source);
            Assert.InRange(o.Confidence, 0.5f, 1f);
            Assert.NotNull(o.Box);
            Assert.InRange(o.Box!.Value.X, 0.0f, 0.5f); // the box is in the left half
            Assert.InRange(o.Box!.Value.Y, 0.30f, 0.50f); // box top at y 150 of 360 = 0.42
        });
        Assert.Empty(h.Observed.For("outside"));
        // At most a few a second: 2 per zone per second, over the time motion ran.
        var span = (inside[^1].At - inside[0].At).TotalSeconds;
        Assert.True(inside.Count <= (2 * span) + 2, $"{inside.Count} observations in {span:F1} s");
    }

    [Fact]
    public async Task Noisy_fading_scene_makes_no_motion()
    {
        await using var h = await DetectionHarness.StartAsync();
        await h.AddCameraAsync("ramp", NoisyFade, 30);
        await h.AddCameraAsync("fadein", NoisyFadeIn, 30);
        await DetectionHarness.WaitAsync(() => h.Detector("ramp").FramesAnalyzed >= 100 && h.Detector("fadein").FramesAnalyzed >= 100,
            TimeSpan.FromSeconds(40), () => $"ramp: {Describe(h, "ramp")}; fadein: {Describe(h, "fadein")}");
        Assert.True(h.Observed.Seen.Count == 0, Observations(h));
    }

    [Fact]
    [Trait("Category", "Long")]
    public async Task Noisy_fading_scene_makes_no_motion_for_two_minutes()
    {
        if (Environment.GetEnvironmentVariable("LIGHTNVR_LONG_TESTS") != "1")
        {
            return; // 2 minutes: run with LIGHTNVR_LONG_TESTS=1 (docs/detection.md)
        }
        await using var h = await DetectionHarness.StartAsync();
        await h.AddCameraAsync("ramp", NoisyFade, 125);
        await h.AddCameraAsync("fadein", NoisyFadeIn.Replace("d=20", "d=100", StringComparison.Ordinal), 125);
        await DetectionHarness.WaitAsync(() => h.Detector("ramp").FramesAnalyzed >= 580 && h.Detector("fadein").FramesAnalyzed >= 580,
            TimeSpan.FromSeconds(140), () => $"ramp: {Describe(h, "ramp")}; fadein: {Describe(h, "fadein")}");
        Assert.True(h.Observed.Seen.Count == 0, Observations(h));
    }

    [Fact]
    public async Task Killed_decoder_restarts_and_recording_continues()
    {
        await using var h = await DetectionHarness.StartAsync();
        await h.AddCameraAsync("cam", BoxLeft, 30);
        var detector = h.Detector("cam");
        await DetectionHarness.WaitAsync(() => detector.FramesAnalyzed >= 10 && detector.DecoderProcessId != 0,
            TimeSpan.FromSeconds(20), () => Describe(h, "cam"));
        Assert.True(h.Restream.Cameras.TryGet("cam", out var camera));
        long RecorderFrames() => camera.Hub.SubscriptionStats.Where(s => s.Name == "recorder").Sum(s => s.Frames);

        var pid = detector.DecoderProcessId;
        using (var ffmpeg = Process.GetProcessById(pid))
        {
            ffmpeg.Kill();
        }
        var recordedAtKill = RecorderFrames();
        var analyzedAtKill = detector.FramesAnalyzed;

        await DetectionHarness.WaitAsync(() => detector.Restarts >= 1 && detector.DecoderProcessId != 0 &&
            detector.DecoderProcessId != pid && detector.FramesAnalyzed > analyzedAtKill + 10,
            TimeSpan.FromSeconds(20), () => Describe(h, "cam"));
        Assert.Contains("ffmpeg exit", detector.LastError);
        Assert.True(RecorderFrames() > recordedAtKill + 30, "the recorder stopped getting frames");
        Assert.True(await h.Restream.RecordingRowsAsync("cam") > 0);
        Assert.NotEmpty(h.Observed.For("cam")); // detection works again (no zones: the whole frame)
    }

    private static string Observations(DetectionHarness h) => string.Join("; ", h.Observed.Seen.Select(o =>
        $"{o.Stream} at {o.At:HH:mm:ss.fff} box {o.Box} confidence {o.Confidence:F2}"));

    private static string Describe(DetectionHarness h, string name) =>
        h.Detection.TryGet(name, out var d)
            ? $"state {d.State}, in {d.FramesIn}, analysed {d.FramesAnalyzed}, restarts {d.Restarts}, error {d.LastError}"
            : "no detector";
}
