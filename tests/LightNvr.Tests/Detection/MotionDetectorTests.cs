using LightNvr.Data;
using LightNvr.Detection;

namespace LightNvr.Tests.Detection;

/// <summary>
/// The motion detector on synthetic 320×180 frames at 5 fps (200 ms apart): a moving square in a zone is motion with
/// the zone's id, outside every zone it is nothing; a static scene with heavy noise, a slow fade and a sudden light
/// switch are nothing.
/// </summary>
public sealed class MotionDetectorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan FrameInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>The left third of the picture.</summary>
    private static readonly DetectionZone LeftZone = Zone("left", (0.0, 0.0), (0.33, 0.0), (0.33, 1.0), (0.0, 1.0));

    private static DetectionZone Zone(string id, params (double X, double Y)[] points) => new()
    {
        Id = id, StreamName = "cam", Name = id, Enabled = true, Polygon = points.Select(p => new ZonePoint(p.X, p.Y)).ToArray(),
    };

    private static List<MotionReport> Run(MotionDetector detector, IEnumerable<byte[]> frames, int startFrame = 0)
    {
        var reports = new List<MotionReport>();
        var i = startFrame;
        foreach (var frame in frames)
        {
            reports.AddRange(detector.Process(frame, T0 + (FrameInterval * i++)).Reports);
        }
        return reports;
    }

    private static IEnumerable<byte[]> Still(SyntheticScene scene, int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return scene.Frame();
        }
    }

    /// <summary>A 24-pixel square moving 4 pixels a frame along y = 80 from x0.</summary>
    private static IEnumerable<byte[]> Moving(SyntheticScene scene, int x0, int frames)
    {
        for (var i = 0; i < frames; i++)
        {
            yield return scene.Frame(x0 + (4 * i), 80, 24);
        }
    }

    [Fact]
    public void Moving_square_inside_zone_is_reported_with_the_zone_and_its_box()
    {
        var scene = new SyntheticScene { Noise = 10 };
        var detector = new MotionDetector(320, 180, MotionSettings.Default, [LeftZone]);
        Assert.Empty(Run(detector, Still(scene, 10)));

        var reports = Run(detector, Moving(scene, 10, 15), 10); // x 10..70: inside the left third (x < 105)
        Assert.NotEmpty(reports);
        Assert.All(reports, r => Assert.Equal("left", r.ZoneId));
        var box = reports[^1].Box;
        Assert.InRange(box.Y * 180, 70, 85);
        Assert.InRange((box.Y + box.Height) * 180, 100, 112);
        Assert.InRange(box.X * 320, 0, 80);
        // 15 frames (3 s) at most 2 reports a second, the first after min_motion_frames (3).
        Assert.InRange(reports.Count, 3, 7);
    }

    [Fact]
    public void Motion_starts_only_after_min_motion_frames()
    {
        var scene = new SyntheticScene();
        var detector = new MotionDetector(320, 180, MotionSettings.Default with { MinMotionFrames = 3 }, []);
        Run(detector, Still(scene, 5));
        Assert.Empty(Run(detector, Moving(scene, 100, 2), 5));
        Assert.Empty(Run(detector, Still(scene, 1), 7));
        var reports = Run(detector, Moving(scene, 100, 3), 8);
        Assert.Single(reports);
        Assert.Null(reports[0].ZoneId); // no zones: the whole frame
    }

    [Fact]
    public void A_run_is_reported_from_its_first_triggering_frame_and_later_reports_at_their_own_time()
    {
        var scene = new SyntheticScene();
        var detector = new MotionDetector(320, 180, MotionSettings.Default with { MinMotionFrames = 3 }, []);
        Run(detector, Still(scene, 5));
        var results = Enumerable.Range(0, 6)
            .Select(i => detector.Process(scene.Frame(100 + (4 * i), 80, 24), T0 + (FrameInterval * (5 + i)))).ToList();
        Assert.All(results.Take(2), r => Assert.Empty(r.Reports)); // frames 5 and 6 trigger, too few in a row
        Assert.Single(results[2].Reports);
        Assert.Equal(T0 + (FrameInterval * 5), results[2].ReportedAt); // the motion began at frame 5, not 7
        Assert.All(results.Skip(3), r => Assert.Null(r.ReportedAt));   // later reports: the frame's own time
        Assert.Contains(results.Skip(3), r => r.Reports.Count > 0);
    }

    [Fact]
    public void Square_outside_every_zone_is_not_motion()
    {
        var scene = new SyntheticScene { Noise = 10 };
        var detector = new MotionDetector(320, 180, MotionSettings.Default, [LeftZone]);
        Assert.Empty(Run(detector, Still(scene, 10)));
        var results = new List<MotionFrameResult>();
        for (var i = 0; i < 30; i++)
        {
            results.Add(detector.Process(scene.Frame(150 + (4 * i), 80, 24), T0 + (FrameInterval * (10 + i))));
        }
        Assert.All(results, r => Assert.Empty(r.Reports));
        Assert.Contains(results, r => r.ChangedFraction > 0.005); // the square was seen, just not in a zone
    }

    [Fact]
    public void Zones_changed_while_running_apply_from_the_next_frame()
    {
        var scene = new SyntheticScene();
        var detector = new MotionDetector(320, 180, MotionSettings.Default, [LeftZone]);
        Run(detector, Still(scene, 5));
        Assert.Empty(Run(detector, Moving(scene, 200, 5), 5));
        detector.SetZones([Zone("right", (0.6, 0.0), (1.0, 0.0), (1.0, 1.0), (0.6, 1.0))]);
        var reports = Run(detector, Moving(scene, 220, 5), 10);
        Assert.NotEmpty(reports);
        Assert.All(reports, r => Assert.Equal("right", r.ZoneId));
    }

    [Fact]
    public void Static_scene_with_heavy_noise_is_not_motion()
    {
        var scene = new SyntheticScene { Noise = 30 }; // ±30 gray levels per pixel per frame
        var detector = new MotionDetector(320, 180, MotionSettings.Default, []);
        var results = new List<MotionFrameResult>();
        for (var i = 0; i < 600; i++) // 2 minutes at 5 fps
        {
            results.Add(detector.Process(scene.Frame(), T0 + (FrameInterval * i)));
        }
        Assert.All(results, r => Assert.Empty(r.Reports));
        Assert.All(results, r => Assert.False(r.Triggered));
        Assert.InRange(detector.Noise, 1, 10); // the noise was measured, not ignored
    }

    [Theory]
    [InlineData(1.0, 0.2, 0, 0)]    // fade to dark over the run (gain)
    [InlineData(0.3, 1.0, 0, 0)]    // fade in from dark
    [InlineData(1.0, 1.0, 0, 80)]   // brightness ramp (offset)
    [InlineData(1.0, 0.6, 0, -40)]  // both
    public void Slow_fade_is_not_motion(double gainFrom, double gainTo, double offsetFrom, double offsetTo)
    {
        var scene = new SyntheticScene { Noise = 8 };
        var detector = new MotionDetector(320, 180, MotionSettings.Default, []);
        const int frames = 150; // 30 s at 5 fps
        for (var i = 0; i < frames; i++)
        {
            var t = (double)i / (frames - 1);
            scene.Gain = gainFrom + ((gainTo - gainFrom) * t);
            scene.Offset = offsetFrom + ((offsetTo - offsetFrom) * t);
            var result = detector.Process(scene.Frame(), T0 + (FrameInterval * i));
            Assert.False(result.Triggered, $"frame {i}: {result.ChangedFraction:P2} changed");
        }
    }

    [Fact]
    public void Sudden_uniform_light_switch_is_not_motion()
    {
        var scene = new SyntheticScene { Noise = 5 };
        var detector = new MotionDetector(320, 180, MotionSettings.Default, []);
        Run(detector, Still(scene, 10));
        scene.Gain = 0.45; // lights off: every pixel at 45 %, in one frame
        scene.Offset = 10;
        var results = Enumerable.Range(10, 20).Select(i => detector.Process(scene.Frame(), T0 + (FrameInterval * i))).ToList();
        Assert.All(results, r => Assert.False(r.Triggered)); // the gain/offset fit explains it
        Assert.All(results, r => Assert.False(r.LightingChange));
    }

    [Fact]
    public void Sudden_change_of_most_of_the_picture_is_taken_as_light_and_relearnt()
    {
        var scene = new SyntheticScene { Noise = 5 };
        var detector = new MotionDetector(320, 180, MotionSettings.Default, []);
        Run(detector, Still(scene, 10));
        // A lamp lights the left 60 % of the room (+100 levels): no one gain/offset explains that picture.
        var lit = scene.Frame();
        for (var i = 0; i < lit.Length; i++)
        {
            if (i % 320 < 192)
            {
                lit[i] = (byte)Math.Min(255, lit[i] + 100);
            }
        }
        var first = detector.Process(lit, T0 + (FrameInterval * 10));
        Assert.True(first.LightingChange);
        Assert.Empty(first.Reports);
        var after = Enumerable.Range(11, 10).Select(i => detector.Process(lit, T0 + (FrameInterval * i))).ToList();
        Assert.All(after, r => Assert.False(r.Triggered)); // the new picture is the background now
    }

    [Fact]
    public void Run_ends_after_cooldown_and_a_whole_run_reports_at_most_twice_a_second()
    {
        var scene = new SyntheticScene();
        var settings = MotionSettings.Default with { CooldownSeconds = 2, MinMotionFrames = 2 };
        var detector = new MotionDetector(320, 180, settings, []);
        Run(detector, Still(scene, 5));
        var results = new List<MotionFrameResult>();
        for (var i = 0; i < 25; i++) // 5 s of motion
        {
            results.Add(detector.Process(scene.Frame(20 + (8 * i), 60, 24), T0 + (FrameInterval * (5 + i))));
        }
        // Frames 200 ms apart, reports ≥ 500 ms apart: every third frame, over the 23 frames after min_motion_frames.
        Assert.InRange(results.Sum(r => r.Reports.Count), 7, 9);
        var quiet = Enumerable.Range(30, 15).Select(i => detector.Process(scene.Frame(), T0 + (FrameInterval * i))).ToList();
        Assert.True(quiet[5].Active);   // 1.2 s after the last motion: still in the run
        Assert.False(quiet[12].Active); // 2.6 s after: ended
    }
}
