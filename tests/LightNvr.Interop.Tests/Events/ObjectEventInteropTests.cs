using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LightNvr.Interop.Tests.Server;
using LightNvr.Interop.Tests.Support;
using LightNvr.Testing;
using Microsoft.Data.Sqlite;

namespace LightNvr.Interop.Tests.Events;

/// <summary>
/// Object detection through the whole server (child process): a GStreamer camera → the detection decoder's RGB output →
/// the ONNX model from <c>[models] path</c> → an object event → an event recording with <c>trigger_type</c> detection
/// that the recordings filter finds by label. The model is the flat test graph of tests/onnx/make_graphs.py (a constant
/// car at x 0.25–0.75 with 0.95 and a person with 0.6 whatever the picture), so the path is checked without the real
/// model; what a real model finds on real photographs is ObjectDetectionInteropTests'.
/// </summary>
[Collection("recording")]
public sealed class ObjectEventInteropTests : IDisposable
{
    private const string Password = "test-Password-1";
    private readonly TempFolder _models = new("models");

    [Fact]
    public async Task A_detected_object_makes_an_event_and_a_detection_recording_listed_by_its_label()
    {
        MakeGraphs();
        using var camera = GstCamera.Start(new GstCameraOptions { Video = "h264", Audio = "none", Fps = 15, Gop = 15 });
        using var server = ServerProcess.Start(port => ServerProcess.DefaultIni(port, $"""
            [models]
            path = {_models.Path}
            """));
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + Password)));
        await EventServerDb.WaitForAsync(server, async () => (await http.GetAsync("/api/health")).IsSuccessStatusCode, "health");

        var models = await http.GetStringAsync("/api/detection/models");
        Assert.Contains("\"format\":\"flat\"", models, StringComparison.Ordinal);

        const string body = """{"name":"drive","url":"CAM","record":false,"detection_based_recording":true,"pre_detection_buffer":2,"post_detection_buffer":2,"segment_duration":60,"detection_model":"flat","detection_interval":1,"detection_threshold":90,"detection_motion_gate":false}""";
        var created = await http.PostAsync("/api/streams", new StringContent(body.Replace("CAM", camera.Url, StringComparison.Ordinal),
            Encoding.UTF8, "application/json"));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());

        JsonElement e = default;
        await EventServerDb.WaitForAsync(server, async () =>
        {
            var list = JsonDocument.Parse(await http.GetStringAsync("/api/events?stream=drive")).RootElement;
            e = list.GetProperty("events").EnumerateArray().FirstOrDefault();
            return e.ValueKind == JsonValueKind.Object && e.GetProperty("recording_id").ValueKind == JsonValueKind.Number;
        }, "an object event with its recording", 45);

        Assert.Equal("object", e.GetProperty("source").GetString());
        Assert.Equal("car", e.GetProperty("label").GetString()); // the person (0.6) is under the 90 % threshold
        Assert.InRange(e.GetProperty("box").GetProperty("x").GetDouble(), 0.24, 0.26);
        Assert.InRange(e.GetProperty("box").GetProperty("width").GetDouble(), 0.49, 0.51);
        var recording = e.GetProperty("recording_id").GetInt64();
        Assert.Equal("detection", await TriggerTypeAsync(Path.Combine(server.Folder, "db", "lightnvr.db"), recording));

        var health = await http.GetStringAsync("/api/health");
        Assert.Contains("\"detector\":\"flat.onnx\"", health, StringComparison.Ordinal);

        // The constant car never leaves: switching detection off ends the event after its post buffer, which closes
        // the recording; the recordings filter by label (upstream's detection_label) then lists it, another label not.
        var off = await http.PutAsync("/api/streams/drive", new StringContent("""{"detection_model":""}""", Encoding.UTF8, "application/json"));
        Assert.True(off.IsSuccessStatusCode, await off.Content.ReadAsStringAsync());
        await EventServerDb.WaitForAsync(server, async () => (await http.GetStringAsync("/api/recordings?stream=drive&detection_label=car"))
            .Contains($"\"id\":{recording}", StringComparison.Ordinal), "the closed recording listed under label car", 30);
        var dog = await http.GetStringAsync("/api/recordings?stream=drive&detection_label=dog");
        Assert.DoesNotContain($"\"id\":{recording}", dog, StringComparison.Ordinal);

    }

    public void Dispose() => _models.Dispose();

    private void MakeGraphs()
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(RepoPaths.Root, "tests", "onnx", "make_graphs.py"));
        psi.ArgumentList.Add(_models.Path);
        using var p = Process.Start(psi)!;
        var text = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, "make_graphs.py: " + text);
    }

    private static async Task<string> TriggerTypeAsync(string db, long id)
    {
        await using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT trigger_type FROM recordings WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
