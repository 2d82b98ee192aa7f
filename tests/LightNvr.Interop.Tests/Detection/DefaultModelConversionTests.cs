using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LightNvr.Interop.Tests.Support;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.Detection;

/// <summary>
/// The default model (docs/detection.md "Default model"): <c>make models</c> converts @vladmandic/human's CenterNet
/// TF.js graph to build/models/centernet.onnx with scripts/models/tfjs_to_onnx.py. Here the converted graph runs in
/// ONNX Runtime and the original graph runs in TensorFlow.js itself (tfjs-core + backend-cpu + converter,
/// tests/model-reference) on the same input, a real photograph from Debian's python3-skimage letterboxed to 512×512 by
/// ffmpeg (aspect kept, black padding right and below: stretched, Chelsea the cat scores as a dog); the outputs must agree, and the expected COCO class must be found where the object is (IoU ≥ 0.5 against
/// a box written down here by looking at the photograph, not taken from any model's output).
/// </summary>
public sealed class DefaultModelConversionTests(ITestOutputHelper output)
{
    private const int Size = 512; // the graph's input: [1,512,512,3] RGB 0–255
    private const string Photos = "/usr/lib/python3/dist-packages/skimage/data";

    /// <summary>Rows compared between the two runs (the 100 rows are sorted by score; the tail is near zero).</summary>
    private const int ComparedRows = 20;

    public static TheoryData<string, string, float, float, float, float> Cases => new()
    {
        // photo, COCO label, expected box in the photo's own pixels (x1, y1, x2, y2), drawn by eye on a 50 px grid.
        { "astronaut.png", "person", 20, 15, 365, 512 },  // 512×512: head top to the bottom edge, left shoulder to the right arm
        { "chelsea.png", "cat", 0, 0, 400, 300 },        // 451×300: the cat's head fills the frame up to its right ear
        { "coffee.png", "cup", 172, 18, 410, 305 },      // 600×400: the cup with its handle, without the saucer
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Converted_graph_matches_TensorFlow_js_and_finds_the_object(string photo, string label,
        float x1, float y1, float x2, float y2)
    {
        var models = Path.Combine(RepoPaths.Root, "build", "models");
        var onnxPath = Path.Combine(models, "centernet.onnx");
        var tfjsPath = Path.Combine(models, "tfjs", "centernet.json");
        var reference = Path.Combine(RepoPaths.Root, "tests", "model-reference");
        Assert.True(File.Exists(onnxPath) && File.Exists(tfjsPath),
            $"{onnxPath} or {tfjsPath} is missing: run `make models` (scripts/models/default-model.sh)");
        Assert.True(Directory.Exists(Path.Combine(reference, "node_modules", "@tensorflow")),
            "tests/model-reference/node_modules is missing: run `scripts/install-deps.sh test`");
        var photoPath = Path.Combine(Photos, photo);
        Assert.True(File.Exists(photoPath), $"{photoPath} is missing: install python3-skimage");

        var (width, height) = await ProbeAsync(photoPath);
        var scale = Size / (float)Math.Max(width, height);
        var rgb = await DecodeAsync(photoPath, (int)MathF.Round(width * scale), (int)MathF.Round(height * scale));
        var input = new float[rgb.Length];
        for (var i = 0; i < rgb.Length; i++)
        {
            input[i] = rgb[i];
        }

        using var tmp = new LightNvr.Testing.TempFolder();
        var inputFile = Path.Combine(tmp.Path, "input.f32");
        await File.WriteAllBytesAsync(inputFile, System.Runtime.InteropServices.MemoryMarshal.AsBytes(input.AsSpan()).ToArray());
        var expected = await RunTensorFlowJsAsync(reference, tfjsPath, inputFile, Path.Combine(tmp.Path, "out.json"));
        var actual = RunOnnxRuntime(onnxPath, input);
        Assert.Equal(expected.Length, actual.Length);

        // Row by row over the top rows; a row whose score nearly ties its neighbour may swap places, so each
        // reference row is matched to the closest row of the same class among its neighbours.
        var maxDiff = 0f;
        for (var r = 0; r < ComparedRows; r++)
        {
            var best = float.MaxValue;
            for (var o = Math.Max(0, r - 2); o <= Math.Min(99, r + 2); o++)
            {
                if (actual[(o * 6) + 5] != expected[(r * 6) + 5])
                {
                    continue;
                }
                var d = 0f;
                for (var c = 0; c < 5; c++)
                {
                    var unit = c == 4 ? 1f : 1f / Size; // coordinates compared as a fraction of the input
                    d = Math.Max(d, Math.Abs(actual[(o * 6) + c] - expected[(r * 6) + c]) * unit);
                }
                best = Math.Min(best, d);
            }
            maxDiff = Math.Max(maxDiff, best);
        }
        output.WriteLine($"{photo}: max abs diff over the top {ComparedRows} rows {maxDiff:G3} (scores; boxes as a fraction of 512)");
        Assert.True(maxDiff < 2e-3f, $"ONNX Runtime and TensorFlow.js differ by {maxDiff} on {photo}");

        // The expected object: the best-scoring row of that class, mapped back to the photo's pixels.
        var labels = await File.ReadAllLinesAsync(Path.Combine(models, "centernet.labels"));
        Assert.Equal(80, labels.Length);
        var classId = Array.IndexOf(labels, label);
        var row = Enumerable.Range(0, 100).Where(i => (int)actual[(i * 6) + 5] == classId).MaxBy(i => actual[(i * 6) + 4]);
        var score = actual[(row * 6) + 4];
        var found = (actual[row * 6] / scale, actual[(row * 6) + 1] / scale, actual[(row * 6) + 2] / scale, actual[(row * 6) + 3] / scale);
        var iou = Iou(found, (x1, y1, x2, y2));
        var top = labels[(int)actual[5]];
        output.WriteLine(FormattableString.Invariant(
            $"{photo}: top row {top} {actual[4]:F2}; best {label} {score:F2} at ({found.Item1:F0},{found.Item2:F0})-({found.Item3:F0},{found.Item4:F0}), IoU {iou:F2}"));
        Assert.Equal(label, top);
        Assert.True(score >= 0.3f, $"{label} scored {score} on {photo}");
        Assert.True(iou >= 0.5f, $"{label} box on {photo} has IoU {iou} with the written-down box");
    }

    private float[] RunOnnxRuntime(string modelPath, float[] input)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(modelPath, options);
        var tensor = new DenseTensor<float>(input, [1, Size, Size, 3]);
        float[]? first = null;
        var times = new List<double>();
        for (var run = 0; run < 4; run++) // the first run warms up; the others time one inference on one thread
        {
            var sw = Stopwatch.StartNew();
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("images", tensor)]);
            var detections = results.Single(r => r.Name == "detections").AsTensor<float>();
            times.Add(sw.Elapsed.TotalMilliseconds);
            Assert.Equal([1, 100, 6], detections.Dimensions.ToArray());
            var values = detections.ToArray();
            first ??= values;
            Assert.Equal(first, values); // deterministic
        }
        output.WriteLine(FormattableString.Invariant($"ONNX Runtime, 1 thread: {string.Join(", ", times.Skip(1).Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))} ms per inference"));
        return first!;
    }

    private static async Task<float[]> RunTensorFlowJsAsync(string reference, string model, string input, string outFile)
    {
        var (code, _, err) = await RunAsync("node", reference, Path.Combine(reference, "reference.mjs"), model, input,
            Size.ToString(CultureInfo.InvariantCulture), Size.ToString(CultureInfo.InvariantCulture), "tower_0/detections", outFile);
        Assert.True(code == 0, "TensorFlow.js reference run failed: " + err);
        using var doc = JsonDocument.Parse(await File.ReadAllBytesAsync(outFile));
        Assert.Equal([1, 100, 6], doc.RootElement.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray());
        return doc.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();
    }

    private static async Task<(int Width, int Height)> ProbeAsync(string photo)
    {
        var (code, stdout, err) = await RunAsync("ffprobe", null, "-v", "error", "-show_entries", "stream=width,height",
            "-of", "csv=p=0", photo);
        Assert.True(code == 0, err);
        var parts = Encoding(stdout).Trim().Split(',');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    /// <summary>The photograph scaled to <paramref name="w"/>×<paramref name="h"/> (bilinear) in the top-left corner of a black 512×512, RGB24.</summary>
    private static async Task<byte[]> DecodeAsync(string photo, int w, int h)
    {
        var (code, stdout, err) = await RunAsync("ffmpeg", null, "-v", "error", "-i", photo, "-vf",
            $"scale={w}:{h}:flags=bilinear,pad={Size}:{Size}:0:0:black", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1");
        Assert.True(code == 0, err);
        Assert.Equal(Size * Size * 3, stdout.Length);
        return stdout;
    }

    private static string Encoding(byte[] bytes) => System.Text.Encoding.ASCII.GetString(bytes);

    private static float Iou((float X1, float Y1, float X2, float Y2) a, (float X1, float Y1, float X2, float Y2) b)
    {
        var w = Math.Max(0, Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1));
        var h = Math.Max(0, Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1));
        var inter = w * h;
        var union = ((a.X2 - a.X1) * (a.Y2 - a.Y1)) + ((b.X2 - b.X1) * (b.Y2 - b.Y1)) - inter;
        return union <= 0 ? 0 : inter / union;
    }

    private static async Task<(int Code, byte[] Stdout, string Stderr)> RunAsync(string file, string? workDir, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workDir is not null)
        {
            psi.WorkingDirectory = workDir;
        }
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        using var ms = new MemoryStream();
        var copy = p.StandardOutput.BaseStream.CopyToAsync(ms);
        var err = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(cts.Token);
        await copy;
        return (p.ExitCode, ms.ToArray(), await err);
    }
}
