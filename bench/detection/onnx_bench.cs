#:project ../../src/LightNvr/LightNvr.csproj
#:property TieredCompilation=false
// Inference time of one ONNX model through the server's own detector (resize + tensor + run + decode), per frame:
// median and p95 over RUNS frames after WARMUP, for each thread count given.
// Usage: dotnet run bench/detection/onnx_bench.cs -- MODEL.onnx [threads...]   (env RUNS=100 WARMUP=10, FRAME=640x360,
// PATTERN=1 turns ONNX Runtime's memory pattern on, as before 2026-12-06, to compare RSS)
using System.Diagnostics;
using LightNvr.Detection.Objects;

var model = args[0];
var threads = args.Length > 1 ? args[1..].Select(int.Parse).ToArray() : [1, 2];
var runs = int.Parse(Environment.GetEnvironmentVariable("RUNS") ?? "100");
var warmup = int.Parse(Environment.GetEnvironmentVariable("WARMUP") ?? "10");
var size = (Environment.GetEnvironmentVariable("FRAME") ?? "640x360").Split('x').Select(int.Parse).ToArray();
var pixels = new byte[size[0] * size[1] * 3];
new Random(14).NextBytes(pixels);
var frame = RgbFrame.Create(size[0], size[1], pixels, DateTimeOffset.UnixEpoch);
foreach (var t in threads)
{
    using var m = new OnnxModel(model, t, TimeProvider.System, memoryPattern: Environment.GetEnvironmentVariable("PATTERN") == "1");
    var info = m.Describe();
    for (var i = 0; i < warmup; i++)
    {
        m.Detect(frame);
    }
    var ms = new double[runs];
    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
    var wall = Stopwatch.StartNew();
    for (var i = 0; i < runs; i++)
    {
        var s = Stopwatch.GetTimestamp();
        m.Detect(frame);
        ms[i] = Stopwatch.GetElapsedTime(s).TotalMilliseconds;
    }
    var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds / runs;
    Array.Sort(ms);
    Console.WriteLine($"{Path.GetFileName(model)} input {info.InputWidth}x{info.InputHeight} {info.FormatName} threads {t}: " +
        $"median {ms[runs / 2]:F1} ms, p95 {ms[(int)(runs * 0.95)]:F1} ms, CPU {cpu:F1} ms/frame, " +
        $"RSS {Environment.WorkingSet / 1048576} MB");
}
