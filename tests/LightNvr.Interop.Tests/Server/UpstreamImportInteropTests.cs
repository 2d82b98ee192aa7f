using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LightNvr.Interop.Tests.Mp4;
using LightNvr.Interop.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.Server;

/// <summary>
/// A box moving from upstream LightNVR, end to end with the real server process: a database in upstream's schema
/// (the fixture of LightNvr.Tests, Data/Fixtures/upstream-0046.sql) whose front_door stream is a GStreamer camera and
/// whose recordings are real MP4 files; <c>lightnvr import</c> (dry run, run, run again); then the server starts on
/// the imported database, the upstream viewer signs in with the password upstream hashed, sees only the stream its
/// tags allow, the upstream admin's API key works, the imported detection marks its recording, an imported recording
/// plays (ffprobe judges the bytes) and the imported stream records new segments.
/// </summary>
public sealed class UpstreamImportInteropTests(ITestOutputHelper output)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };

    [Fact]
    public async Task An_upstream_box_imports_and_its_streams_record_and_its_users_sign_in()
    {
        using var camera = GstCamera.Start(new GstCameraOptions { Width = 320, Height = 240, Fps = 15, Gop = 15, Audio = "none" });
        var folder = Path.Combine(Path.GetTempPath(), "lightnvr-import-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var port = FreePort.Next();
        var ini = Path.Combine(folder, "lightnvr.ini");
        File.WriteAllText(ini, ServerProcess.DefaultIni(port));
        var server = new Target(folder, port, ini);

        var recordings = Path.Combine(server.Folder, "recordings");
        var upstream = Path.Combine(server.Folder, "upstream.db");
        CreateUpstream(upstream, recordings, camera.Url);
        foreach (var name in new[] { "front_door/2026/11/30/front_door_20261130_100000.mp4",
                     "front_door/2026/11/30/front_door_20261130_101500.mp4", "garage/2026/11/30/garage_20261130_100000.mp4" })
        {
            var file = Path.Combine(recordings, name);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            Ffmpeg.Generate("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=4", "-c:v", "libx264", "-g", "25",
                "-pix_fmt", "yuv420p", "-movflags", "+faststart", file);
        }

        var dry = RunImport(server, "--from", upstream, "--dry-run");
        Assert.Contains("would add 3, 0 already here, 1 without a file", dry);
        var run = RunImport(server, "--from", upstream);
        Assert.Contains("streams               2 found, added 2", run);
        Assert.Contains("added 0, 3 already here", RunImport(server, "--from", upstream));

        using var started = ServerProcess.Launch(server.Folder, server.Port, ["-c", server.ConfigFile], ownsFolder: true);
        await WaitForHealth(started);

        // The upstream viewer signs in with its old password and sees only the stream its tag allows.
        var streams = await GetJson(started, "/api/streams", "kitchen:viewer-pass");
        Assert.Equal(["front_door"], streams.RootElement.EnumerateArray().Select(s => s.GetProperty("name").GetString()));

        // The upstream admin's API key still works (stored hashed now), and the imported detection marks its recording.
        using (var keyed = new HttpRequestMessage(HttpMethod.Get,
                   started.BaseUrl + "/api/recordings?stream=front_door&has_detection=1"))
        {
            keyed.Headers.Add("X-API-Key", "upstream-admin-api-key-0123456789abcdef");
            using var response = await Http.SendAsync(keyed);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            Assert.Contains("\"label\":\"person\"", body, StringComparison.Ordinal); // detection_labels of the motion recording
        }

        // An imported recording plays: the bytes the API serves decode.
        using var list = await GetJson(started, "/api/recordings?stream=front_door&sort=start_time&order=asc", "admin:test-Password-1");
        var first = list.RootElement.GetProperty("recordings").EnumerateArray().First();
        var bytes = await Send(started, $"/api/recordings/play/{first.GetProperty("id").GetInt64()}", "admin:test-Password-1");
        var copy = Path.Combine(server.Folder, "played.mp4");
        await File.WriteAllBytesAsync(copy, bytes);
        Assert.Equal(100, Ffmpeg.Probe(copy).Single(s => s.Codec == "h264").Frames);

        // The imported stream records from its camera: new segments beside the two imported ones.
        var deadline = Stopwatch.StartNew();
        int count;
        do
        {
            await Task.Delay(1000);
            using var now = await GetJson(started, "/api/recordings?stream=front_door", "admin:test-Password-1");
            count = now.RootElement.GetProperty("recordings").GetArrayLength();
        }
        while (count < 3 && deadline.Elapsed < TimeSpan.FromSeconds(40));
        output.WriteLine($"front_door recordings after import: {count}");
        Assert.True(count >= 3, $"no new segment of the imported stream; log:\n{File.ReadAllText(started.LogFile)}");
        started.Signal("TERM");
        Assert.True(started.WaitForExit(TimeSpan.FromSeconds(20)));
    }

    /// <summary>The new box's folder and configuration, before its server first starts.</summary>
    private sealed record Target(string Folder, int Port, string ConfigFile);

    private static string RunImport(Target server, params string[] args)
    {
        using var import = ServerProcess.Launch(server.Folder, server.Port, ["-c", server.ConfigFile, "import", .. args]);
        Assert.True(import.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.True(import.Process.ExitCode == 0, import.Stderr);
        return import.Stdout;
    }

    private static void CreateUpstream(string path, string recordings, string cameraUrl)
    {
        var sql = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "upstream-0046.sql"))
            .Replace("{REC}", recordings, StringComparison.Ordinal);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        // The sample's camera addresses are documentation addresses; here front_door is a real camera, recorded in
        // 2 s segments so the test sees new ones quickly, and garage is off.
        command.CommandText = sql + "\nUPDATE streams SET url = $url, sub_stream_url = '', segment_duration = 2 WHERE name = 'front_door';" +
                              "\nUPDATE streams SET enabled = 0 WHERE name = 'garage';";
        command.Parameters.AddWithValue("$url", cameraUrl);
        command.ExecuteNonQuery();
    }

    private static async Task WaitForHealth(ServerProcess server)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                if ((await Http.GetAsync(server.BaseUrl + "/api/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }

        Assert.Fail($"server did not answer; stderr: {server.Stderr}");
    }

    private static async Task<JsonDocument> GetJson(ServerProcess server, string path, string credentials) =>
        JsonDocument.Parse(await Send(server, path, credentials));

    private static async Task<byte[]> Send(ServerProcess server, string path, string credentials)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, server.BaseUrl + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        using var response = await Http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadAsByteArrayAsync();
    }
}
