using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LightNvr.Interop.Tests.Mp4;
using LightNvr.Interop.Tests.Server;
using LightNvr.Interop.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.Robustness;

/// <summary>
/// The real server (child process) with three recorded cameras: a healthy GStreamer camera, one whose password is
/// wrong (Digest) and one that refuses connections. The broken ones say why in the stream JSON and the log, with no
/// password anywhere; the healthy one records; SIGTERM mid-segment finalises every open segment and exits 0.
/// </summary>
[Collection("recording")]
public sealed class BrokenCameraServerTests(ITestOutputHelper output)
{
    private const string AdminPassword = "test-Password-1";
    private const string WrongPassword = "Wr0ng-Camera-Pass";
    private const string RefusedPassword = "Refused-Camera-Pass";

    [Fact]
    public async Task Broken_cameras_are_reported_without_credentials_and_SIGTERM_finalises_the_healthy_recording()
    {
        using var good = GstCamera.Start(new GstCameraOptions { Audio = "aac", Gop = 15 });
        using var locked = GstCamera.Start(new GstCameraOptions { Audio = "none", Gop = 15, Auth = "digest" });
        var refusedPort = FreePort.Next(); // nobody listens there
        using var server = ServerProcess.Start(port => ServerProcess.DefaultIni(port, """
            [storage]
            mp4_path = mp4
            mp4_directory_format = flat
            """));
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + AdminPassword)));
        await WaitAsync(async () => (await http.GetAsync("/api/health")).IsSuccessStatusCode, 30, server, "health");

        await AddAsync(http, "good", good.Url);
        await AddAsync(http, "badpass", $"rtsp://admin:{WrongPassword}@127.0.0.1:{locked.Port}/cam");
        await AddAsync(http, "refused", $"rtsp://admin:{RefusedPassword}@127.0.0.1:{refusedPort}/cam");

        // Wrong password: Error, saying unauthorized. Refused: Error (or Reconnecting between tries) with a reason.
        string? badReason = null, refusedReason = null;
        await WaitAsync(async () =>
        {
            var (state, reason) = await StatusAsync(http, "badpass");
            badReason = reason;
            return state == "Error" && reason is not null;
        }, 20, server, "badpass status");
        await WaitAsync(async () =>
        {
            var (state, reason) = await StatusAsync(http, "refused");
            refusedReason = reason;
            return state == "Error" && reason is not null;
        }, 20, server, "refused status");
        output.WriteLine($"badpass: {badReason}\nrefused: {refusedReason}");
        Assert.Contains("nauthorized", badReason, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongPassword, badReason, StringComparison.Ordinal);
        Assert.DoesNotContain(RefusedPassword, refusedReason, StringComparison.Ordinal);

        // The server keeps retrying the refused camera (more failures over time) while the healthy one records.
        var db = Path.Combine(server.Folder, "db", "lightnvr.db");
        await WaitAsync(async () => (await RowsAsync(db, "good")).Count >= 1, 20, server, "first segment of good");
        await Task.Delay(3000); // mid-segment (segment_duration is at least 10 s through the API)

        server.Signal("TERM");
        var termAt = DateTimeOffset.UtcNow;
        Assert.True(server.WaitForExit(TimeSpan.FromSeconds(20)), "did not stop after SIGTERM");
        Assert.Equal(0, server.Process.ExitCode);

        var rows = await RowsAsync(db, "good");
        Assert.NotEmpty(rows);
        foreach (var r in rows)
        {
            Assert.True(r.Complete && r.End is not null, "open after SIGTERM: " + r.Path);
            Assert.Equal("", Ffmpeg.DecodeErrors(r.Path));
            Assert.Equal(new FileInfo(r.Path).Length, r.Size);
            var kept = Ffmpeg.FormatDuration(r.Path);
            Assert.InRange(r.End!.Value - r.Start, kept - 1, kept + 1); // whole seconds
        }

        // The last segment ends at the stop, not before (nothing dropped on the way out) and not after.
        var last = rows[^1];
        Assert.InRange(last.End!.Value, termAt.ToUnixTimeSeconds() - 3, termAt.ToUnixTimeSeconds() + 2);

        var log = await File.ReadAllTextAsync(server.LogFile);
        foreach (var secret in new[] { WrongPassword, RefusedPassword })
        {
            Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, server.Stdout + server.Stderr, StringComparison.Ordinal);
        }

        // Say what happened: each broken camera's failure is in the log.
        Assert.Contains("Camera badpass: ", log, StringComparison.Ordinal);
        Assert.Contains("Camera refused: ", log, StringComparison.Ordinal);
        Assert.Matches(@"Camera refused: .*\(failure [3-9]", log); // the server kept retrying
        output.WriteLine(string.Join('\n', log.Split('\n').Where(l => l.Contains("Camera ", StringComparison.Ordinal)).Take(12)));
    }

    private static async Task AddAsync(HttpClient http, string name, string url)
    {
        var body = $$"""{"name":"{{name}}","url":"{{url}}","record":true,"record_audio":true,"segment_duration":10}""";
        var created = await http.PostAsync("/api/streams", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
    }

    private static async Task<(string? State, string? Reason)> StatusAsync(HttpClient http, string name)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync("/api/streams/" + name));
        var root = doc.RootElement;
        return (root.TryGetProperty("status", out var s) ? s.GetString() : null,
            root.TryGetProperty("error_message", out var e) ? e.GetString() : null);
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, int seconds, ServerProcess server, string what)
    {
        var deadline = Environment.TickCount64 + seconds * 1000L;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.True(Environment.TickCount64 < deadline && !server.Process.HasExited,
                $"{what}: not within {seconds} s\n{server.Stdout}{server.Stderr}");
            await Task.Delay(200);
        }
    }

    private static async Task<List<(string Path, bool Complete, long Start, long? End, long Size)>> RowsAsync(string db, string stream)
    {
        var rows = new List<(string, bool, long, long?, long)>();
        await using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT file_path, is_complete, start_time, end_time, size_bytes FROM recordings WHERE stream_name = $s ORDER BY id";
        command.Parameters.AddWithValue("$s", stream);
        try
        {
            using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.GetInt64(1) == 1, reader.GetInt64(2),
                    reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.GetInt64(4)));
            }
        }
        catch (SqliteException)
        {
        }

        return rows;
    }
}
