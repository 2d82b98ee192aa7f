using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.Server;

/// <summary>The built server as a real process: start-up time, health, PID file, SIGTERM, bad config, CLI.</summary>
public class ServerProcessTests(ITestOutputHelper output)
{
    /// <summary>
    /// The issue's target is 2 s (about 1 s measured on a quiet run); this bound allows for the 2-core machine shared
    /// with parallel builds, where load averages of 20–30 stretched it to 7 s. The real figure is printed.
    /// </summary>
    private static readonly TimeSpan MaxStartup = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan MaxStop = TimeSpan.FromSeconds(15);

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task Starts_answers_health_refuses_a_second_instance_and_stops_cleanly_on_SIGTERM()
    {
        var started = Stopwatch.StartNew();
        using var server = ServerProcess.Start();
        var health = await WaitForHealth(server);
        var startup = started.Elapsed;
        output.WriteLine($"start-up to first /api/health answer: {startup.TotalMilliseconds:0} ms");
        Assert.True(startup < MaxStartup, $"start-up took {startup.TotalMilliseconds:0} ms");

        using (var doc = JsonDocument.Parse(health))
        {
            var root = doc.RootElement;
            Assert.True(root.GetProperty("healthy").GetBoolean());
            Assert.Equal("healthy", root.GetProperty("status").GetString());
            Assert.Equal(0, root.GetProperty("streams").GetProperty("total").GetInt32());
            Assert.True(root.GetProperty("storage").GetProperty("available_bytes").GetInt64() > 0);
            Assert.Equal(JsonValueKind.Array, root.GetProperty("streams_detail").ValueKind);
        }

        Assert.Equal(server.Process.Id, int.Parse(File.ReadAllText(server.PidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture));
        output.WriteLine($"idle RSS after start: {ReadRssKb(server.Process.Id)} kB");
        Assert.Contains($"open http://127.0.0.1:{server.Port}", server.Stdout);
        Assert.Equal("{\"status\":\"ok\",\"message\":\"System running normally\"}", await Http.GetStringAsync(server.BaseUrl + "/api/system/status"));

        using (var admin = new HttpRequestMessage(HttpMethod.Get, server.BaseUrl + "/api/system"))
        {
            admin.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String("admin:test-Password-1"u8.ToArray()));
            var info = await Http.SendAsync(admin);
            Assert.Equal(HttpStatusCode.OK, info.StatusCode);
            Assert.Contains("\"version\"", await info.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await Http.GetAsync(server.BaseUrl + "/api/settings")).StatusCode);
        Assert.True(File.Exists(Path.Combine(server.Folder, "db", "lightnvr.db")));

        using (var second = ServerProcess.Launch(server.Folder, server.Port, ["-c", server.ConfigFile]))
        {
            Assert.True(second.WaitForExit(MaxStop));
            Assert.Equal(1, second.Process.ExitCode);
            Assert.Contains($"another lightnvr (PID {server.Process.Id})", second.Stderr);
        }

        server.Signal("TERM");
        Assert.True(server.WaitForExit(MaxStop), "did not stop after SIGTERM");
        Assert.Equal(0, server.Process.ExitCode);
        Assert.False(File.Exists(server.PidFile));
        Assert.Contains("Stopped cleanly", File.ReadAllText(server.LogFile));
    }

    /// <summary>
    /// Idle memory (docs/BENCHMARKS.md "Idle memory"): a SQLite box does not map Npgsql; the DTLS stack
    /// (BouncyCastle) is mapped by the WebRTC warm-up only once someone lists the cameras, not at start; and OpenSSL
    /// (about 5 MB) is not mapped by an everyday start that nobody has logged in to (the secrets made at start come
    /// from <c>KernelRandom</c>). The first start of a folder hashes the first admin's password, so the check is on
    /// the second start, as a box restarts every day.
    /// </summary>
    [Fact]
    public async Task A_box_nobody_watches_maps_neither_Npgsql_nor_the_DTLS_stack_nor_OpenSSL()
    {
        using var first = ServerProcess.Start();
        await WaitForHealth(first);
        first.Signal("TERM");
        Assert.True(first.WaitForExit(MaxStop), "did not stop after SIGTERM");

        using var server = ServerProcess.Launch(first.Folder, first.Port, ["-c", first.ConfigFile]);
        await WaitForHealth(server);
        await Task.Delay(TimeSpan.FromSeconds(4)); // past the warm-up's 2 s delay (it opens the WebRTC port then)
        var mapped = MappedFiles(server.Process.Id);
        Assert.Contains("lightnvr.dll", mapped);
        Assert.DoesNotContain("Npgsql.dll", mapped);
        Assert.DoesNotContain("BouncyCastle.Cryptography.dll", mapped);
        Assert.DoesNotContain(mapped, f => f.StartsWith("libcrypto.so", StringComparison.Ordinal) || f.StartsWith("libssl.so", StringComparison.Ordinal));

        using (var list = new HttpRequestMessage(HttpMethod.Get, server.BaseUrl + "/api/streams"))
        {
            list.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String("admin:test-Password-1"u8.ToArray()));
            Assert.Equal(HttpStatusCode.OK, (await Http.SendAsync(list)).StatusCode);
        }
        var deadline = Stopwatch.StartNew();
        while (!MappedFiles(server.Process.Id).Contains("BouncyCastle.Cryptography.dll") && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }
        Assert.Contains("BouncyCastle.Cryptography.dll", MappedFiles(server.Process.Id));
        Assert.DoesNotContain("Npgsql.dll", MappedFiles(server.Process.Id));
    }

    [Fact]
    public async Task Stops_cleanly_on_SIGINT()
    {
        using var server = ServerProcess.Start();
        await WaitForHealth(server);
        server.Signal("INT");
        Assert.True(server.WaitForExit(MaxStop), "did not stop after SIGINT");
        Assert.Equal(0, server.Process.ExitCode);
        Assert.False(File.Exists(server.PidFile));
    }

    [Theory]
    [InlineData("shutdown", 0, "System is shutting down")]
    [InlineData("restart", 75, "System is restarting")]
    public async Task Shutdown_and_restart_through_the_api_stop_cleanly_with_their_exit_code(string action, int exitCode, string message)
    {
        using var server = ServerProcess.Start();
        await WaitForHealth(server);
        using var request = new HttpRequestMessage(HttpMethod.Post, server.BaseUrl + "/api/system/" + action);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String("admin:test-Password-1"u8.ToArray()));
        var response = await Http.SendAsync(request);
        Assert.Equal($"{{\"success\":true,\"message\":\"{message}\"}}", await response.Content.ReadAsStringAsync());
        Assert.True(server.WaitForExit(MaxStop), $"did not stop after POST /api/system/{action}");
        Assert.Equal(exitCode, server.Process.ExitCode);
        Assert.False(File.Exists(server.PidFile));
    }

    [Fact]
    public void A_bad_config_value_stops_start_up_naming_file_line_and_key()
    {
        using var server = ServerProcess.Start(p => ServerProcess.DefaultIni(p).Replace("log_level = 2", "log_level = 7", StringComparison.Ordinal));
        Assert.True(server.WaitForExit(MaxStop));
        Assert.Equal(1, server.Process.ExitCode);
        Assert.Contains($"{server.ConfigFile}:5: [general] log_level = '7': must be between 0 and 3", server.Stderr);
        Assert.False(File.Exists(server.PidFile));
    }

    [Fact]
    public void Unknown_option_prints_usage_on_stderr_and_exits_2()
    {
        using var server = ServerProcess.Start(null, "--bogus");
        Assert.True(server.WaitForExit(MaxStop));
        Assert.Equal(2, server.Process.ExitCode);
        Assert.Contains("unknown option --bogus", server.Stderr);
        Assert.Contains("Usage: lightnvr", server.Stderr);
    }

    [Fact]
    public void Version_prints_and_exits_0()
    {
        using var server = ServerProcess.Start(null, "-v");
        Assert.True(server.WaitForExit(MaxStop));
        Assert.Equal(0, server.Process.ExitCode);
        Assert.StartsWith("lightnvr ", server.Stdout);
    }

    [Fact]
    public async Task Daemon_mode_detaches_writes_the_pid_file_and_stops_on_SIGTERM()
    {
        using var parent = ServerProcess.Start(null, "-d");
        Assert.True(parent.WaitForExit(TimeSpan.FromSeconds(40)), "daemon parent did not return");
        Assert.Equal(0, parent.Process.ExitCode);
        var pid = int.Parse(File.ReadAllText(parent.PidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(parent.Process.Id, pid);
        try
        {
            await WaitForHealth(parent, daemon: true);
            Assert.Equal(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText($"/proc/{pid}/stat").Split(' ')[5]); // own session
        }
        finally
        {
            parent.Signal("TERM", pid);
        }

        var deadline = Stopwatch.StartNew();
        while (Directory.Exists($"/proc/{pid}") && deadline.Elapsed < MaxStop)
        {
            await Task.Delay(50);
        }

        Assert.False(Directory.Exists($"/proc/{pid}"), "daemon did not stop");
        Assert.False(File.Exists(parent.PidFile));
    }

    [Fact]
    public async Task Serves_the_web_root_with_spa_fallback_precompression_and_cache_lifetimes()
    {
        var www = Path.Combine(Path.GetTempPath(), "lightnvr-www-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(www, "assets"));
        File.WriteAllText(Path.Combine(www, "index.html"), "<html>spa</html>");
        File.WriteAllText(Path.Combine(www, "assets", "app-1a2b3c.js"), "console.log(1)");
        using (var gz = new System.IO.Compression.GZipStream(File.Create(Path.Combine(www, "assets", "app-1a2b3c.js.gz")), System.IO.Compression.CompressionLevel.Fastest))
        {
            gz.Write("console.log(1)"u8);
        }

        try
        {
            using var server = ServerProcess.Start(p => ServerProcess.DefaultIni(p, $"[web]\nroot = {www}\n"));
            await WaitForHealth(server);
            var index = await Http.GetAsync(server.BaseUrl + "/");
            Assert.Equal("<html>spa</html>", await index.Content.ReadAsStringAsync());
            Assert.Equal("no-cache", index.Headers.CacheControl?.ToString());
            var route = await Http.GetAsync(server.BaseUrl + "/recordings/cam1");
            Assert.Equal("<html>spa</html>", await route.Content.ReadAsStringAsync());
            var asset = new HttpRequestMessage(HttpMethod.Get, server.BaseUrl + "/assets/app-1a2b3c.js");
            asset.Headers.AcceptEncoding.ParseAdd("gzip");
            var js = await Http.SendAsync(asset);
            Assert.Equal("gzip", string.Join(",", js.Content.Headers.ContentEncoding));
            Assert.Equal("public, max-age=31536000, immutable", js.Headers.CacheControl?.ToString());
            Assert.Equal("text/javascript", js.Content.Headers.ContentType?.MediaType);
            Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync(server.BaseUrl + "/assets/missing.js")).StatusCode);
            var api = await Http.GetAsync(server.BaseUrl + "/api/nope");
            Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
            Assert.Equal("{\"error\":\"Not Found\"}", await api.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync(server.BaseUrl + "/..%2f..%2fetc%2fpasswd")).StatusCode);
        }
        finally
        {
            Directory.Delete(www, recursive: true);
        }
    }

    [Fact]
    public async Task Without_a_web_ui_the_placeholder_page_answers()
    {
        using var server = ServerProcess.Start(p => ServerProcess.DefaultIni(p, "[web]\nroot = no-such-www\n"));
        await WaitForHealth(server);
        Assert.Contains("web UI was not built", await Http.GetStringAsync(server.BaseUrl + "/"));
        Assert.Contains("web UI was not built", await Http.GetStringAsync(server.BaseUrl + "/login"));
    }

    /// <summary>Polls every 20 ms; <paramref name="daemon"/>: the process we started exits by design (the daemon parent).</summary>
    private static async Task<string> WaitForHealth(ServerProcess server, bool daemon = false)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < MaxStartup * 2)
        {
            Assert.False(!daemon && server.Process.HasExited, $"server exited early: {server.Stderr}");
            try
            {
                var response = await Http.GetAsync(server.BaseUrl + "/api/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return await response.Content.ReadAsStringAsync();
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("no /api/health answer: " + server.Stderr);
    }

    /// <summary>The file names of everything the process maps (assemblies, native libraries).</summary>
    private static HashSet<string> MappedFiles(int pid) =>
        File.ReadLines($"/proc/{pid}/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 6 && f[5].StartsWith('/'))
            .Select(f => Path.GetFileName(f[5])).ToHashSet(StringComparer.Ordinal);

    private static long ReadRssKb(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
}
