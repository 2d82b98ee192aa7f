// Motion detector cost per frame (docs/BENCHMARKS.md "Motion detection CPU"): MotionDetector.Process on 320x180 gray
// frames like the decoder writes (noisy gray picture, a 30-pixel box moving 6 px a frame), without zones (the whole
// frame) and with two polygon zones. Prints microseconds per frame (median of 5 runs of FRAMES frames) and the
// share of one core that 5 fps costs.
//   dotnet run -c Release --project bench/detection/frame [frames]
using System.Diagnostics;
using LightNvr.Data;
using LightNvr.Detection;

const int Width = 320, Height = 180;
var frames = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 3000;
var random = new Random(42);
var pictures = new byte[50][];
for (var f = 0; f < pictures.Length; f++)
{
    var p = pictures[f] = new byte[Width * Height];
    for (var i = 0; i < p.Length; i++)
    {
        p[i] = (byte)(110 + random.Next(0, 30)); // ±15 gray levels of sensor noise on mid gray
    }
    var x0 = 20 + (f * 6 % 260);
    for (var y = 75; y < 105; y++)
    {
        p.AsSpan((y * Width) + x0, 30).Fill(240);
    }
}
DetectionZone Zone(string id, params (double X, double Y)[] points) => new()
{
    Id = id, StreamName = "bench", Name = id, Enabled = true, Polygon = points.Select(p => new ZonePoint(p.X, p.Y)).ToArray(),
};
var zones = new[]
{
    Zone("left", (0.0, 0.0), (0.5, 0.1), (0.45, 1.0), (0.0, 0.9)),
    Zone("right", (0.5, 0.0), (1.0, 0.0), (1.0, 1.0), (0.6, 1.0)),
};
foreach (var (name, list) in new[] { ("whole frame", Array.Empty<DetectionZone>()), ("two zones", zones) })
{
    var runs = new List<double>();
    var reports = 0;
    for (var run = 0; run < 5; run++)
    {
        var detector = new MotionDetector(Width, Height, MotionSettings.Default, list);
        var at = DateTimeOffset.UnixEpoch;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < frames; i++)
        {
            reports += detector.Process(pictures[i % pictures.Length], at).Reports.Count;
            at += TimeSpan.FromMilliseconds(200);
        }
        runs.Add(watch.Elapsed.TotalMicroseconds / frames);
    }
    runs.Sort();
    var median = runs[runs.Count / 2];
    Console.WriteLine($"{name,-12} {median,8:F1} µs/frame (min {runs[0]:F1}), 5 fps = {median * 5 / 10_000:F3} % of a core; {reports / 5} reports per run");
}
