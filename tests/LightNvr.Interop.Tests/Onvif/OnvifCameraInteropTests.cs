using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LightNvr.Interop.Tests.Mp4;
using LightNvr.Interop.Tests.Server;
using LightNvr.Interop.Tests.Support;
using LightNvr.Testing.Onvif;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.Onvif;

/// <summary>
/// The ONVIF path end to end on the real server (child process): a GStreamer camera behind
/// <see cref="OnvifStandIn"/>, a STAND-IN ONVIF device (no emulator is packaged anywhere reachable) whose clock runs
/// 2 h off. Discover (unicast on loopback; multicast is MulticastDiscoveryTests), list profiles, add the device as a
/// stream through the API; then the stand-in's motion event (PullPoint) becomes an event with source onvif and an
/// event recording that starts with the pre-event buffer and ends after the post buffer, decodable by ffmpeg.
/// </summary>
[Collection("recording")]
public sealed class OnvifCameraInteropTests(ITestOutputHelper output)
{
    private const string Password = "test-Password-1";
    private const int PreBuffer = 3;
    private const int PostBuffer = 2;

    private static string Ini(int port) => ServerProcess.DefaultIni(port, """
        [storage]
        mp4_path = mp4
        mp4_directory_format = flat
        """);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Discovered_camera_added_through_the_api_records_on_its_own_motion_event()
    {
        using var gst = GstCamera.Start(new GstCameraOptions { Video = "h264", Audio = "none", Fps = 15, Gop = 15 });
        await using var camera = new OnvifStandIn(clockSkew: TimeSpan.FromHours(2), mainUri: gst.Url, subUri: gst.Url);
        using var server = ServerProcess.Start(Ini);
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + Password)));
        await WaitForAsync(server, async () => (await http.GetAsync("/api/health")).IsSuccessStatusCode, "health");

        var found = await http.PostAsync("/api/onvif/discovery/discover", Json($$"""{"addresses":["127.0.0.1:{{camera.DiscoveryPort}}"]}"""));
        var device = JsonDocument.Parse(await found.Content.ReadAsStringAsync()).RootElement.GetProperty("devices")[0];
        var deviceUrl = device.GetProperty("device_service").GetString();
        using var profilesRequest = new HttpRequestMessage(HttpMethod.Get, "/api/onvif/device/profiles");
        profilesRequest.Headers.Add("X-Device-URL", deviceUrl);
        profilesRequest.Headers.Add("X-Username", "admin");
        profilesRequest.Headers.Add("X-Password", "secret");
        var profiles = JsonDocument.Parse(await (await http.SendAsync(profilesRequest)).Content.ReadAsStringAsync()).RootElement.GetProperty("profiles");
        Assert.Equal(gst.Url, profiles[0].GetProperty("stream_uri").GetString());

        var added = await http.PostAsync("/api/onvif/device/add", Json(
            $$"""{"device_url":"{{deviceUrl}}","profile_token":"{{profiles[0].GetProperty("token").GetString()}}","stream_name":"gate","username":"admin","password":"secret"}"""));
        Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
        var updated = await http.PutAsync("/api/streams/gate", Json(
            $$"""{"record":false,"detection_based_recording":true,"detection_model":"onvif","pre_detection_buffer":{{PreBuffer}},"post_detection_buffer":{{PostBuffer}},"segment_duration":60}"""));
        Assert.True(updated.IsSuccessStatusCode, await updated.Content.ReadAsStringAsync());
        // Event recording attaches when a camera starts, not when detection_based_recording is turned on by an update
        // (EventRecordingService follows CameraStarted only): restart the camera by disabling and enabling it.
        Assert.True((await http.PutAsync("/api/streams/gate", Json("""{"enabled":false}"""))).IsSuccessStatusCode);
        await Task.Delay(1000);
        Assert.True((await http.PutAsync("/api/streams/gate", Json("""{"enabled":true}"""))).IsSuccessStatusCode);
        await WaitForAsync(server, async () =>
        {
            var health = JsonDocument.Parse(await http.GetStringAsync("/api/health")).RootElement;
            return health.TryGetProperty("streams_detail", out var detail) && detail.EnumerateArray().Any(s =>
                s.GetProperty("name").GetString() == "gate" && s.TryGetProperty("pre_buffer_seconds", out var sec) && sec.GetDouble() >= PreBuffer);
        }, "a full pre-event buffer");
        await WaitForAsync(server, () => Task.FromResult(camera.ActiveSubscriptions >= 1), "the PullPoint subscription");

        var motionAt = DateTimeOffset.UtcNow;
        camera.EmitMotion(true);
        await Task.Delay(2000);
        camera.EmitMotion(false);

        JsonElement e = default;
        await WaitForAsync(server, async () =>
        {
            var list = JsonDocument.Parse(await http.GetStringAsync("/api/events?stream=gate")).RootElement;
            e = list.GetProperty("events").EnumerateArray().FirstOrDefault();
            return list.GetProperty("total").GetInt64() == 1 && !e.GetProperty("active").GetBoolean()
                && e.GetProperty("recording_id").ValueKind == JsonValueKind.Number;
        }, "the ONVIF event to end with its recording");
        Assert.Equal(("onvif", "motion"), (e.GetProperty("source").GetString(), e.GetProperty("label").GetString()));

        var db = Path.Combine(server.Folder, "db", "lightnvr.db");
        (string Path, bool Complete, long Start) row = ("", false, 0);
        await WaitForAsync(server, async () => (row = await RowAsync(db, e.GetProperty("recording_id").GetInt64())).Complete, "a complete recording");
        Assert.Equal("", Ffmpeg.DecodeErrors(row.Path));
        var duration = Ffmpeg.FormatDuration(row.Path);
        var lead = motionAt.ToUnixTimeMilliseconds() / 1000.0 - row.Start;
        output.WriteLine($"ONVIF event recording {row.Path}: starts {lead:F2} s before the motion event, {duration:F2} s long");
        Assert.InRange(lead, PreBuffer - 1 - 1, PreBuffer + 1 + 2); // pre buffer ± 1 GOP, whole-second row start, ≤ 1 s pull delay
        Assert.InRange(duration, PreBuffer - 1 + 2 + PostBuffer - 1, PreBuffer + 1 + 2 + PostBuffer + 3);
        Assert.Equal(0, camera.AuthFailures);
    }

    private static async Task<(string Path, bool Complete, long Start)> RowAsync(string db, long id)
    {
        await using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT file_path, is_complete, start_time FROM recordings WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetString(0), reader.GetInt64(1) == 1, reader.GetInt64(2)) : ("", false, 0);
    }

    private static async Task WaitForAsync(ServerProcess server, Func<Task<bool>> until, string what, int seconds = 40)
    {
        var deadline = Environment.TickCount64 + (seconds * 1000);
        while (true)
        {
            try
            {
                if (await until())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            Assert.True(Environment.TickCount64 < deadline && !server.Process.HasExited, $"no {what}; server log:\n" + server.Stdout + server.Stderr);
            await Task.Delay(200);
        }
    }
}
