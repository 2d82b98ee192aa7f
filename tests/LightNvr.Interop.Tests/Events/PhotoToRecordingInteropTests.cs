using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LightNvr.Interop.Tests.Mp4;
using LightNvr.Interop.Tests.Server;
using LightNvr.Interop.Tests.Support;
using LightNvr.Testing;
using Xunit.Abstractions;
using static LightNvr.Interop.Tests.Events.EventServerDb;

namespace LightNvr.Interop.Tests.Events;

/// <summary>
/// Issue 14, "must show": a real photograph all the way to a recording on the real server (child process). A GStreamer
/// RTSP camera shows Debian python3-skimage's astronaut.png (512×512, H.264 15 fps) as a live stream; the server runs
/// the real default model (CenterNet MobileNetV3 from <c>make models</c>: build/models/centernet.onnx, or
/// LIGHTNVR_MODELS=folder) on it; the person it finds makes an object event, an event recording with
/// <c>trigger_type</c> detection that the recordings filter lists by label, a detections row with the box, and a file
/// ffprobe reads. Without the model the test returns at once and says so (make test builds it: test → build → models).
/// The photograph does not move, so the stream's motion gate is off (upstream's behaviour: a detection every interval).
/// </summary>
[Collection("recording")]
public sealed class PhotoToRecordingInteropTests(ITestOutputHelper output) : IDisposable
{
    private const string Password = "test-Password-1";
    private const string Photo = "/usr/lib/python3/dist-packages/skimage/data/astronaut.png";

    /// <summary>The astronaut, written down by eye (normalised x, y, width, height), as in ObjectDetectionInteropTests.</summary>
    private static readonly (double X, double Y, double W, double H) Person = (0.03, 0.03, 0.68, 0.97);

    private readonly TempFolder _models = new("models");

    [Fact]
    public async Task A_photographed_person_makes_an_event_a_detection_recording_and_a_playable_file()
    {
        if (!CopyRealModel())
        {
            output.WriteLine("SKIPPED: no real model (run `make models`, or set LIGHTNVR_MODELS=folder with centernet.onnx).");
            return;
        }
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "none", Width = 512, Height = 512, Fps = 15, Gop = 15, Image = Photo });
        using var server = ServerProcess.Start(port => ServerProcess.DefaultIni(port, $"""
            [models]
            path = {_models.Path}
            """));
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + Password)));
        await WaitForAsync(server, async () => (await http.GetAsync("/api/health")).IsSuccessStatusCode, "health");

        // detection_model "onnx" = the default centernet.onnx; 40 %: this small model scores the astronaut 0.6.
        const string body = """{"name":"porch","url":"CAM","record":false,"detection_based_recording":true,"pre_detection_buffer":2,"post_detection_buffer":2,"segment_duration":60,"detection_model":"onnx","detection_interval":1,"detection_threshold":40,"detection_motion_gate":false}""";
        var since = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
        var created = await http.PostAsync("/api/streams", new StringContent(body.Replace("CAM", camera.Url, StringComparison.Ordinal),
            Encoding.UTF8, "application/json"));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());

        JsonElement e = default;
        await WaitForAsync(server, async () =>
        {
            var list = JsonDocument.Parse(await http.GetStringAsync("/api/events?stream=porch")).RootElement;
            e = list.GetProperty("events").EnumerateArray().FirstOrDefault();
            return e.ValueKind == JsonValueKind.Object && e.GetProperty("recording_id").ValueKind == JsonValueKind.Number;
        }, "an object event with its recording", 60);

        Assert.Equal("object", e.GetProperty("source").GetString());
        Assert.Equal("person", e.GetProperty("label").GetString());
        var box = e.GetProperty("box");
        var iou = IoU((box.GetProperty("x").GetDouble(), box.GetProperty("y").GetDouble(), box.GetProperty("width").GetDouble(),
            box.GetProperty("height").GetDouble()), Person);
        output.WriteLine($"event: person {e.GetProperty("confidence").GetDouble():F2} box {box} IoU {iou:F2}");
        Assert.True(iou >= 0.5, $"person box {box} vs {Person}: IoU {iou:F2}");

        // The detections the UI overlays: upstream's results endpoint over a time window has the same person.
        var results = JsonDocument.Parse(await http.GetStringAsync($"/api/detection/results/porch?start={since}")).RootElement;
        var row = results.GetProperty("detections").EnumerateArray().First(d => d.GetProperty("label").GetString() == "person");
        Assert.True(IoU((row.GetProperty("x").GetDouble(), row.GetProperty("y").GetDouble(), row.GetProperty("width").GetDouble(),
            row.GetProperty("height").GetDouble()), Person) >= 0.5, row.ToString());

        // The person never leaves: switching detection off ends the event after its post buffer and closes the file.
        var recording = e.GetProperty("recording_id").GetInt64();
        var off = await http.PutAsync("/api/streams/porch", new StringContent("""{"detection_model":""}""", Encoding.UTF8, "application/json"));
        Assert.True(off.IsSuccessStatusCode, await off.Content.ReadAsStringAsync());
        var rows = await WaitForRowsAsync(server, "porch", r => r.Any(x => x.Id == recording && x.Complete), 30);
        var file = rows.Single(x => x.Id == recording);
        Assert.Equal("detection", file.Trigger);
        Assert.Equal("", Ffmpeg.DecodeErrors(file.Path));
        var (codec, frames, duration) = Assert.Single(Ffmpeg.Probe(file.Path));
        output.WriteLine($"recording {file.Path}: {codec}, {frames} frames, {duration:F2} s");
        Assert.Equal("h264", codec);
        Assert.True(frames >= 15 * 3, $"{frames} frames"); // at least pre + post buffer, less a GOP
        Assert.Contains($"\"id\":{recording}", await http.GetStringAsync("/api/recordings?stream=porch&detection_label=person"),
            StringComparison.Ordinal);
    }

    public void Dispose() => _models.Dispose();

    private bool CopyRealModel()
    {
        foreach (var dir in new[] { Environment.GetEnvironmentVariable("LIGHTNVR_MODELS"), Path.Combine(RepoPaths.Root, "build", "models") })
        {
            if (dir is not null && File.Exists(Path.Combine(dir, "centernet.onnx")) && File.Exists(Photo))
            {
                foreach (var f in new[] { "centernet.onnx", "centernet.labels" })
                {
                    if (File.Exists(Path.Combine(dir, f)))
                    {
                        File.Copy(Path.Combine(dir, f), Path.Combine(_models.Path, f), overwrite: true);
                    }
                }
                return true;
            }
        }
        return false;
    }

    private static double IoU((double X, double Y, double W, double H) a, (double X, double Y, double W, double H) b)
    {
        var w = Math.Min(a.X + a.W, b.X + b.W) - Math.Max(a.X, b.X);
        var h = Math.Min(a.Y + a.H, b.Y + b.H) - Math.Max(a.Y, b.Y);
        return w <= 0 || h <= 0 ? 0 : w * h / ((a.W * a.H) + (b.W * b.H) - (w * h));
    }
}
